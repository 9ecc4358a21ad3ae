# bash completion for jbolt (and milkcheck, its MilkCheck drop-in): `source <(jbolt completion bash)`, or install this file as
# /usr/share/bash-completion/completions/jbolt (or ~/.local/share/bash-completion/completions/jbolt).
# Commands and options come from jbolt's own model, and target, group, task and plan names and
# parameters from the project of the current directory: each TAB asks `jbolt __complete`.
_jbolt() {
  local line=${COMP_LINE:0:COMP_POINT} words cur prefix out c
  # Words as jbolt sees them: bash would split 'mod::task' and 'name=value' at ':' and '='.
  read -ra words <<<"$line"
  [[ $line == *[[:space:]] ]] && words+=("")
  cur=${words[${#words[@]}-1]}
  out=$("${words[0]}" __complete "${words[@]:1}" 2>/dev/null </dev/null) || return 0
  # In a word with an open quote ('web,!web0) readline completes what follows the quote.
  cur=${cur#[\"\']}
  COMPREPLY=()
  if [[ $out == __files__ ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return 0
  fi
  # readline replaces only what follows the last ':' or '=' (when COMP_WORDBREAKS has them): what
  # comes before is cut off the candidates.
  local breaks=''
  [[ $COMP_WORDBREAKS == *:* ]] && breaks+=:
  [[ $COMP_WORDBREAKS == *=* ]] && breaks+='='
  prefix=''
  [[ -n $breaks ]] && prefix=${cur%"${cur##*[$breaks]}"}
  while IFS= read -r c; do
    [[ -n $c ]] || continue
    [[ $c == *= ]] && compopt -o nospace 2>/dev/null
    COMPREPLY+=("${c#"$prefix"}")
  done <<<"$out"
}
complete -F _jbolt jbolt milkcheck
