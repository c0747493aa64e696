#include "cli/shell_guard_script.h"

namespace cmdai::cli {
namespace {

// \C-x\C-z\C-x runs the check; \C-x\C-z\C-y is what the check decided.
// __cmdai_armed/__cmdai_start: the capture's DEBUG trap saw the check's own
// commands, so it is re-armed for the command line itself.
constexpr std::string_view k_bash_guard = R"sh(
__cmdai_guard_check() {
  local decided=accept-line reason answer
  if [[ -n ${READLINE_LINE//[[:space:]]/} ]] && ! reason=$(__cmdai shell-guard -- bash "$READLINE_LINE" 2>&1 >/dev/null); then
    printf '%s\n' "$reason"
    read -r -n 1 -p 'cmdai: run it anyway? [y/N] ' answer </dev/tty
    printf '\n'
    [[ $answer == [yY] ]] || decided=redraw-current-line
  fi
  bind "\"\\C-x\\C-z\\C-y\": $decided"
  __cmdai_armed=1
  __cmdai_start=
}
bind -x '"\C-x\C-z\C-x": __cmdai_guard_check'
bind '"\C-x\C-z\C-y": accept-line'
bind '"\C-m": "\C-x\C-z\C-x\C-x\C-z\C-y"'
bind '"\C-j": "\C-x\C-z\C-x\C-x\C-z\C-y"'
)sh";

constexpr std::string_view k_zsh_guard = R"sh(
__cmdai_guard_accept() {
  local reason key
  if [[ -n ${BUFFER//[[:space:]]/} ]] && ! reason=$(__cmdai shell-guard -- zsh "$BUFFER" 2>&1 >/dev/null); then
    zle -R "$reason"$'\n''cmdai: run it anyway? [y/N]'
    read -k 1 key
    if [[ $key != [yY] ]]; then
      zle -M 'cmdai: not run; the command is still on the line'
      return 0
    fi
  fi
  zle .accept-line
}
zle -N accept-line __cmdai_guard_accept
)sh";

constexpr std::string_view k_fish_guard = R"sh(
function __cmdai_guard_enter
    set -l line (commandline | string collect)
    if string length -q -- (string trim -- "$line")
        set -l reason (__cmdai shell-guard -- fish "$line" 2>&1 >/dev/null)
        if test $status -ne 0
            echo
            printf '%s\n' $reason
            read -l -n 1 -P 'cmdai: run it anyway? [y/N] ' answer
            if not string match -qi y -- "$answer"
                commandline -f repaint
                return
            end
        end
    end
    commandline -f execute
end
bind \r __cmdai_guard_enter
bind \n __cmdai_guard_enter
bind -M insert \r __cmdai_guard_enter 2>/dev/null
bind -M insert \n __cmdai_guard_enter 2>/dev/null
)sh";

}  // namespace

std::string shell_guard_script(ShellType shell) {
  switch (shell) {
    case ShellType::bash: return std::string(k_bash_guard);
    case ShellType::zsh: return std::string(k_zsh_guard);
    case ShellType::fish: return std::string(k_fish_guard);
    default: return {};
  }
}

}  // namespace cmdai::cli
