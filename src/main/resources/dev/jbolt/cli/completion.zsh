#compdef jbolt milkcheck
# zsh completion for jbolt: `source <(jbolt completion zsh)` (after compinit), or install this file
# as _jbolt in a directory of $fpath. Commands and options come from jbolt's own model, and target,
# group, task and plan names and parameters from the project of the current directory: each TAB
# asks `jbolt __complete`.
_jbolt() {
  local out c
  local -a eq plain
  out=$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null </dev/null) || return 1
  if [[ $out == __files__ ]]; then
    _files
    return
  fi
  for c in "${(@f)out}"; do
    [[ -n $c ]] || continue
    if [[ $c == *= ]]; then eq+=("$c"); else plain+=("$c"); fi
  done
  (( ${#eq} )) && compadd -S '' -- "${eq[@]}"
  (( ${#plain} )) && compadd -- "${plain[@]}"
  return 0
}
if [[ ${funcstack[1]} == _jbolt ]]; then
  _jbolt "$@"
else
  compdef _jbolt jbolt milkcheck
fi
