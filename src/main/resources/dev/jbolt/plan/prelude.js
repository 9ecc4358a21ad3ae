// The plan API: Bolt's plan functions for JavaScript. The host object __jbolt (Java) does the work;
// this file gives it Bolt's names, objects (Target, Result, ResultSet) and error semantics.
// In a plain plan every run_* call blocks until all its targets are done. In an async plan (an
// async default export), run_* calls return promises while the plan awaits, so that the branches
// of parallelize() and background() run their actions concurrently.
(function (global) {
  'use strict';
  const host = global.__jbolt;
  delete global.__jbolt;
  const parse = (s) => (s === undefined || s === null ? null : JSON.parse(s));
  // A plan function called to its end, by name, with its arguments as one object.
  const invoke = (name, args) => parse(host.call(name, JSON.stringify(args)));
  let asyncMode = false;
  const pending = new Map();

  class PlanError extends Error {
    constructor(msg, kind, details, issueCode) {
      super(msg);
      this.name = 'PlanError';
      this.msg = msg; // Bolt's Error: msg, kind, details and issue_code are values
      this.kind = kind || 'bolt/plan-failure';
      this.details = details || {};
      if (issueCode) this.issue_code = issueCode;
    }
    toJSON() {
      const o = { kind: this.kind, msg: this.message, details: this.details };
      if (this.issue_code) o.issue_code = this.issue_code;
      return o;
    }
  }

  const targetCache = new Map();
  class Target {
    constructor(d) { this._update(d); }
    _update(d) {
      this.name = d.name; this.uri = d.uri; this.host = d.host; this.port = d.port; this.user = d.user;
      this.transport = d.transport; this._vars = d.vars; this._facts = d.facts; this._features = d.features;
      return this;
    }
    vars() { return this._vars; }
    facts() { return this._facts; }
    features() { return this._features; }
    set_var(key, value) { return this._modify('var', key, value); }
    add_facts(facts) { return this._modify('facts', null, facts); }
    set_feature(feature, on = true) { return this._modify('feature', feature, on); }
    set_config(path, value) { return this._modify('config', Array.isArray(path) ? path.join('.') : String(path), value); }
    _modify(what, key, value) { return this._update(invoke('modify_target', { name: this.name, what, key, value })); }
    toJSON() { return this.name; }
    toString() { return this.name; }
  }
  const target = (d) => (targetCache.has(d.name) ? targetCache.get(d.name)._update(d) : (targetCache.set(d.name, new Target(d)), targetCache.get(d.name)));
  const targetNamed = (name) => targetCache.get(name) || target(invoke('get_targets', { targets: [name] })[0]);

  class Result {
    constructor(r) {
      this.target = targetNamed(r.target); this.action = r.action; this.object = r.object;
      this.status = r.status; this.value = r.value;
      // Timing, kept for jbolt's own output; Bolt's shape (toJSON) leaves it out.
      Object.defineProperty(this, '_timing', { value: { elapsed_ms: r.elapsed_ms, attempts: r.attempts } });
    }
    ok() { return this.status === 'success'; }
    error() {
      const e = this.value && this.value._error;
      return e ? new PlanError(e.msg, e.kind, e.details, e.issue_code) : null;
    }
    message() { return this.value ? this.value._output : undefined; }
    toJSON() { return { target: this.target.name, action: this.action, object: this.object, status: this.status, value: this.value }; }
  }

  class ResultSet {
    constructor(results, elapsedMs) {
      this._results = results;
      Object.defineProperty(this, '_elapsed_ms', { value: elapsedMs });
    }
    static of(json) { return new ResultSet(json.items.map((r) => new Result(r)), json.elapsed_ms); }
    ok() { return this._results.every((r) => r.ok()); }
    ok_set() { return new ResultSet(this._results.filter((r) => r.ok())); }
    error_set() { return new ResultSet(this._results.filter((r) => !r.ok())); }
    filter_set(fn) { return new ResultSet(this._results.filter(fn)); }
    targets() { return this._results.map((r) => r.target); }
    names() { return this._results.map((r) => r.target.name); }
    first() { return this._results[0]; }
    count() { return this._results.length; }
    empty() { return this._results.length === 0; }
    results() { return this._results.slice(); }
    find(name) { return this._results.find((r) => r.target.name === name); }
    map(fn) { return this._results.map(fn); }
    [Symbol.iterator]() { return this._results[Symbol.iterator](); }
    toJSON() { return this._results.map((r) => r.toJSON()); }
    _withTiming() { return this._results.map((r) => Object.assign(r.toJSON(), r._timing)); }
  }

  // TargetSpec: a string (names, groups, globs, ranges), a Target, or arrays of them.
  function spec(targets) {
    const out = [];
    const walk = (t) => {
      if (t === undefined || t === null) return;
      if (Array.isArray(t)) t.forEach(walk);
      else if (t instanceof ResultSet) t.targets().forEach(walk);
      else if (t instanceof Target) out.push(t.name);
      else if (typeof t === 'string') { if (t.length) out.push(t); }
      else throw new PlanError('not a target: ' + JSON.stringify(t), 'bolt/type-error');
    };
    walk(targets);
    return out;
  }

  // Options: Bolt's _catch_errors/_run_as/... are accepted with or without the underscore. A plan
  // run by run_plan(..., {_run_as}) runs its steps as that user unless a step says otherwise.
  let defaultRunAs = null;
  function options(opts) {
    const o = {};
    for (const [k, v] of Object.entries(opts || {})) o[k.replace(/^_/, '')] = v;
    if (defaultRunAs !== null && o.run_as === undefined) o.run_as = defaultRunAs;
    return o;
  }

  function finish(action, object, json, opts) {
    const rs = ResultSet.of(parse(json));
    if (!rs.ok() && !opts.catch_errors) {
      const failed = rs.error_set().count();
      const e = new PlanError(`${action} '${object}' failed on ${failed} target${failed === 1 ? '' : 's'}`,
        'bolt/run-failure', { action, object, result_set: rs.toJSON() });
      Object.defineProperty(e, '_resultset', { value: { items: rs._withTiming(), elapsed_ms: rs._elapsed_ms } });
      throw e;
    }
    return rs;
  }

  function call(action, object, args, opts) {
    if (asyncMode) {
      const id = host.start(action, JSON.stringify(args));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject })).then((json) => finish(action, object, json, opts));
    }
    return finish(action, object, host.call(action, JSON.stringify(args)), opts);
  }

  // Bolt's form with a description after the targets: run_command(cmd, targets, 'desc', opts).
  function describe(rest) {
    if (typeof rest[0] === 'string') return [rest[1] || {}, rest[0]];
    return [rest[0] || {}, undefined];
  }

  global.get_targets = (t) => invoke('get_targets', { targets: spec(t) }).map(target);
  global.get_target = (t) => {
    const ts = global.get_targets(t);
    if (ts.length !== 1) throw new PlanError(`get_target: '${spec(t).join(',')}' is ${ts.length} targets, not one`, 'bolt/type-error');
    return ts[0];
  };

  global.run_command = (command, targets, ...rest) => {
    const [o, description] = describe(rest);
    const opts = options(o);
    return call('command', command, { command, targets: spec(targets), opts, description }, opts);
  };
  global.run_script = (script, targets, ...rest) => {
    const [o, description] = describe(rest);
    const opts = options(o);
    return call('script', script, { script, targets: spec(targets), opts, description }, opts);
  };
  global.run_task = (task, targets, ...rest) => {
    let params = rest[0], description;
    if (typeof params === 'string') { description = params; params = rest[1]; }
    params = Object.assign({}, params || {});
    const opts = options(Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith('_'))));
    for (const k of Object.keys(params)) if (k.startsWith('_')) delete params[k];
    Object.assign(opts, options(rest[typeof rest[0] === 'string' ? 2 : 1]));
    return call('task', task, { task, targets: spec(targets), params, opts, description }, opts);
  };
  // Per-target parameters: fn(target) gives each target's parameters.
  global.run_task_with = (task, targets, fn, o) => {
    const opts = options(o);
    const per = {};
    for (const t of global.get_targets(targets)) per[t.name] = fn(t);
    return call('task', task, { task, targets: Object.keys(per), per_target: per, opts }, opts);
  };
  global.upload_file = (source, destination, targets, ...rest) => {
    const [o, description] = describe(rest);
    const opts = options(o);
    return call('upload', source, { source, destination, targets: spec(targets), opts, description }, opts);
  };
  global.download_file = (source, destination, targets, ...rest) => {
    const [o, description] = describe(rest);
    const opts = options(o);
    return call('download', source, { source, destination, targets: spec(targets), opts, description }, opts);
  };
  global.write_file = (content, destination, targets, o) => {
    const opts = options(o);
    return call('write_file', destination, { content: String(content), destination, targets: spec(targets), opts }, opts);
  };
  global.wait_until_available = (targets, o) => {
    const opts = options(o);
    return call('wait_until_available', 'wait_until_available', { targets: spec(targets), opts }, opts);
  };
  global.run_plan = (name, params) => {
    const p = Object.assign({}, params || {});
    const catchErrors = p._catch_errors; delete p._catch_errors;
    const runAs = p._run_as !== undefined ? p._run_as : defaultRunAs; delete p._run_as;
    const r = invoke('run_plan', { name, params: p, run_as: runAs });
    if (r.error) {
      const e = new PlanError(r.error.msg, r.error.kind, r.error.details, r.error.issue_code);
      if (catchErrors) return e;
      throw e;
    }
    return r.value;
  };

  // A MilkCheck service graph (jbolt service): its services' statuses and results; a failed
  // service fails the plan unless _catch_errors.
  global.run_services = (action, o) => {
    const opts = Object.assign({}, o || {});
    const catchErrors = opts._catch_errors; delete opts._catch_errors;
    const r = invoke('run_services', { action, opts });
    r.services.forEach((s) => { s.results = ResultSet.of({ items: s.items || [], elapsed_ms: s.elapsed_ms || 0 }); delete s.items; });
    if (r.status === 'ERROR' && !catchErrors) {
      const failed = r.services.filter((s) => ['ERROR', 'TIMEOUT', 'DEP_ERROR'].includes(s.status)).map((s) => s.service);
      throw new PlanError(`run_services ${action}: ${failed.join(', ')} failed`, 'jbolt/service-failed', { services: failed });
    }
    return r;
  };

  global.fail_plan = (msg, kind, details, issueCode) => {
    if (msg instanceof PlanError) throw msg;
    throw new PlanError(String(msg), kind || 'bolt/plan-failure', details || {}, issueCode);
  };
  global.catch_errors = (fn, kinds) => {
    try { return fn(); } catch (e) {
      if (e instanceof PlanError && (!kinds || kinds.includes(e.kind))) return e;
      throw e;
    }
  };

  // Bolt's functions on targets, as functions (the Target methods do the same).
  const one = (t) => (t instanceof Target ? t : global.get_target(t));
  global.vars = (t) => one(t).vars();
  global.facts = (t) => one(t).facts();
  global.set_var = (t, key, value) => one(t).set_var(key, value);
  global.add_facts = (t, facts) => one(t).add_facts(facts);
  global.set_feature = (t, feature, on = true) => one(t).set_feature(feature, on);
  global.set_config = (t, path, value) => one(t).set_config(path, value);
  global.get_resources = () => {
    throw new PlanError('get_resources needs a Puppet agent on the targets (apply_prep), which jbolt does not use',
      'bolt/unsupported');
  };

  // On this machine: files (absolute, in the project, or MODULE/PATH in a module's files/), the
  // environment, questions to the user.
  global.file = {
    read: (path) => invoke('file_read', { path }),
    exists: (path) => invoke('file_exists', { path }),
    join: (...parts) => parts.join('/').replace(/\/+/g, '/'),
  };
  global.dir = { children: (path) => invoke('dir_children', { path }) };
  global.system = { env: (name) => invoke('system_env', { name }) };
  const prompt = (text, o) => invoke('prompt', { text, opts: o || {} });
  prompt.menu = (text, menu, o) => invoke('prompt', { text, menu, opts: o || {} });
  global.prompt = prompt;

  const text = (args) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, null, 2))).join(' ');
  global.out = {
    message: (...a) => invoke('message', { level: 'message', text: text(a) }),
    verbose: (...a) => invoke('message', { level: 'verbose', text: text(a) }),
  };
  global.log = Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error'].map((l) => [l, (...a) => invoke('message', { level: l, text: text(a) })]));
  global.console = { log: global.out.message, error: global.log.error };

  global.ctrl = {
    sleep: (seconds) => {
      if (asyncMode) return call('sleep', 'sleep', { seconds }, { catch_errors: true }).then(() => undefined);
      invoke('sleep', { seconds });
      return undefined;
    },
  };

  // Runs fn(item) for each item, at most opts.concurrency at a time; in an async plan the
  // branches run concurrently (each yields at its awaits), in a plain plan one after another.
  global.parallelize = (items, fn, o) => {
    const opts = options(o);
    const list = Array.from(items);
    const check = (results, errors) => {
      const failed = errors.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);
      if (failed.length) {
        throw new PlanError(`parallelize: ${failed.length} of ${list.length} branches failed: ${errors[failed[0]].message}`,
          'bolt/parallel-failure', { failed_indices: failed, errors: failed.map((i) => String(errors[i].message)) });
      }
      return results;
    };
    if (!asyncMode) {
      const results = [], errors = [];
      list.forEach((item, i) => {
        try {
          const r = fn(item, i);
          if (r instanceof Promise) throw new PlanError('parallelize: async branches need an async plan (export default async function)', 'bolt/type-error');
          results[i] = r;
        } catch (e) { errors[i] = e; results[i] = e; }
      });
      return check(results, errors);
    }
    const limit = opts.concurrency > 0 ? opts.concurrency : list.length;
    const results = new Array(list.length), errors = new Array(list.length);
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const i = next++;
        try { results[i] = await fn(list[i], i); } catch (e) { errors[i] = e; results[i] = e; }
      }
    };
    return Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker)).then(() => check(results, errors));
  };
  global.background = (fn) => {
    if (!asyncMode) throw new PlanError('background needs an async plan (export default async function)', 'bolt/type-error');
    const p = Promise.resolve().then(fn);
    p.catch(() => {}); // reported when waited for
    return p;
  };
  global.wait = (futures, o) => Promise.all(Array.isArray(futures) ? futures : [futures]);

  // Puppet's meaning of values, for YAML plans (and the JavaScript 'jbolt plan convert' writes):
  // undef and false are the only falsy values, integer arithmetic stays integral, strings compare
  // without case, a Result indexes into its value, a ResultSet into its results.
  const isInt = (v) => typeof v === 'number' && Number.isInteger(v);
  const typeError = (m) => new PlanError(m, 'bolt/type-error');
  const puppet = {
    truthy: (v) => v !== null && v !== undefined && v !== false,
    key: (k) => (typeof k === 'string' ? k : puppet.str(k)),
    str(v) {
      if (v === null || v === undefined) return '';
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (v instanceof Target) return v.name;
      if (v instanceof Result || v instanceof ResultSet || v instanceof PlanError) return JSON.stringify(v);
      const inner = (x) => (typeof x === 'string' ? `'${x}'` : puppet.str(x));
      if (Array.isArray(v)) return '[' + v.map(inner).join(', ') + ']';
      return '{' + Object.entries(v).map(([k, x]) => `'${k}' => ${inner(x)}`).join(', ') + '}';
    },
    at(v, i, count) {
      if (v instanceof ResultSet) v = v.results();
      else if (v instanceof Result) return v.value === null || v.value === undefined ? null : puppet.at(v.value, i, count);
      if (Array.isArray(v) || typeof v === 'string') {
        if (!isInt(i)) throw typeError(`an index must be an Integer, not ${JSON.stringify(i)}`);
        const start = i < 0 ? v.length + i : i;
        if (count !== undefined) return v.slice(start, count < 0 ? v.length + count + 1 : start + count);
        const x = v[start];
        return x === undefined ? null : x;
      }
      if (v !== null && typeof v === 'object') {
        const x = v[puppet.key(i)];
        return x === undefined ? null : x;
      }
      if (v === null || v === undefined) return null;
      throw typeError(`cannot index ${JSON.stringify(v)}`);
    },
    eq(a, b) {
      if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
      if (a === undefined) a = null;
      if (b === undefined) b = null;
      if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
      if (a instanceof Target || b instanceof Target) return String(a) === String(b);
      if (Array.isArray(a) !== Array.isArray(b)) return false;
      const ka = Object.keys(a), kb = Object.keys(b);
      return ka.length === kb.length && ka.every((k) => puppet.eq(a[k], b[k]));
    },
    op(o, a, b) {
      if (typeof a === 'number' && typeof b === 'number') {
        switch (o) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/': if (b === 0) throw typeError('division by zero'); return isInt(a) && isInt(b) ? Math.trunc(a / b) : a / b;
          case '%': if (!isInt(a) || !isInt(b)) throw typeError('% needs Integers'); if (b === 0) throw typeError('division by zero'); return a % b;
          default: break;
        }
      }
      if (['<', '>', '<=', '>='].includes(o)) {
        let x = a, y = b;
        if (typeof x === 'string' && typeof y === 'string') { x = x.toLowerCase(); y = y.toLowerCase(); }
        else if (typeof x !== 'number' || typeof y !== 'number') throw typeError(`cannot compare ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
        return o === '<' ? x < y : o === '>' ? x > y : o === '<=' ? x <= y : x >= y;
      }
      if (Array.isArray(a)) {
        if (o === '+') return a.concat(Array.isArray(b) ? b : [b]);
        if (o === '-') return a.filter((x) => !(Array.isArray(b) ? b : [b]).some((y) => puppet.eq(x, y)));
      }
      if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object' && !Array.isArray(a)) {
        if (o === '+') return Object.assign({}, a, b);
        if (o === '-') { const r = Object.assign({}, a); (Array.isArray(b) ? b : Object.keys(b)).forEach((k) => delete r[k]); return r; }
      }
      throw typeError(`the operator ${o} does not apply to ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    },
    call(name, v, ...args) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v[name] === 'function' &&
          (v instanceof ResultSet || v instanceof Result || v instanceof Target)) {
        return v[name](...args);
      }
      if (v instanceof Result && name === 'value') return v.value;
      if (v instanceof Result && name === 'target') return v.target;
      if (v instanceof ResultSet) v = v.results();
      const list = () => { if (Array.isArray(v)) return v; throw typeError(`${name} needs an Array, not ${JSON.stringify(v)}`); };
      const size = () => (Array.isArray(v) || typeof v === 'string' ? v.length : v !== null && typeof v === 'object' ? Object.keys(v).length : 0);
      switch (name) {
        case 'first': return (Array.isArray(v) ? v[0] : null) ?? null;
        case 'last': return (Array.isArray(v) ? v[v.length - 1] : null) ?? null;
        case 'length': case 'size': case 'count': return size();
        case 'empty': return size() === 0;
        case 'keys': return Object.keys(v || {});
        case 'values': return Object.values(v || {});
        case 'join': return list().map(puppet.str).join(args[0] === undefined ? '' : args[0]);
        case 'split': return String(v).split(args[0]);
        case 'flatten': return list().flat(Infinity);
        case 'unique': return list().filter((x, i, a) => a.findIndex((y) => puppet.eq(x, y)) === i);
        case 'sort': return list().slice().sort((a, b) => (puppet.op('<', a, b) ? -1 : puppet.op('>', a, b) ? 1 : 0));
        case 'reverse': return typeof v === 'string' ? [...v].reverse().join('') : list().slice().reverse();
        case 'upcase': return String(v).toUpperCase();
        case 'downcase': return String(v).toLowerCase();
        case 'capitalize': return String(v).charAt(0).toUpperCase() + String(v).slice(1);
        case 'strip': return String(v).trim();
        case 'to_json': return JSON.stringify(v);
        case 'to_data': return JSON.parse(JSON.stringify(v));
        case 'merge': return Object.assign({}, v, ...args);
        case 'include': return Array.isArray(v) ? v.some((x) => puppet.eq(x, args[0])) : typeof v === 'string' ? v.includes(args[0]) : Object.prototype.hasOwnProperty.call(v || {}, args[0]);
        case 'names': return list().map((r) => (r instanceof Result ? r.target.name : String(r)));
        case 'targets': return list().map((r) => (r instanceof Result ? r.target : r));
        case 'ok': return list().every((r) => r.ok());
        case 'max': return [v, ...args].flat().reduce((a, b) => (puppet.op('>', b, a) ? b : a));
        case 'min': return [v, ...args].flat().reduce((a, b) => (puppet.op('<', b, a) ? b : a));
        case 'abs': return Math.abs(Number(v));
        case 'protocol': if (v instanceof Target) return v.transport; break;
        case 'safe_name': if (v instanceof Target) return v.name; break;
        case 'port': case 'user': case 'transport':
        case 'name': case 'uri': case 'host': case 'status': case 'message': case 'error':
          if (v !== null && typeof v === 'object' && name in v) return typeof v[name] === 'function' ? v[name]() : v[name];
          break;
        default: break;
      }
      throw typeError(`${name}() does not apply to ${JSON.stringify(v)}`);
    },
  };
  global.puppet = puppet;

  // For the host: the event loop and the plan's return value.
  global.__jbolt_loop = {
    runAs(user) { defaultRunAs = user; },
    begin() { asyncMode = true; },
    isAsync(fn) { return typeof fn === 'function' && fn.constructor && fn.constructor.name === 'AsyncFunction'; },
    settle(id, ok, json) {
      const p = pending.get(id);
      pending.delete(id);
      if (ok) p.resolve(json); else p.reject(new PlanError(json, 'bolt/exception-error'));
    },
    pending() { return pending.size; },
    value(v) {
      if (v instanceof ResultSet) return JSON.stringify({ resultset: { items: v._withTiming(), elapsed_ms: v._elapsed_ms } });
      return JSON.stringify({ value: v === undefined ? null : v });
    },
    error(e) {
      if (e instanceof PlanError) return JSON.stringify(Object.assign(e.toJSON(), e._resultset ? { _resultset: e._resultset } : {}));
      return null;
    },
  };
  global.PlanError = PlanError;
  global.ResultSet = ResultSet;
  global.Result = Result;
  global.Target = Target;
})(globalThis);
