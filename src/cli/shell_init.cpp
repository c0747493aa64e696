#include "cli/shell_init.h"

#include "cli/shell_guard_script.h"
#include "core/shell_quote.h"

#include <cctype>

namespace cmdai::cli {
namespace {

// A suggestion that must not run on a bare Enter never reaches the line:
// shell-suggest shows it on stderr and exits 4, and the widget empties the
// line, so Enter then runs nothing at all. Other failures keep the request
// on the line to rephrase. bash 5.1+ clears the line before a bind -x
// command runs, so the widget prints it again (prompt's last line and the
// request); cmdai's spinner and notes go below it and bash redraws the
// prompt under them. While cmdai works, Ctrl-C runs an INT trap (a handler,
// not '', which cmdai would inherit as ignored) instead of discarding the
// line: cmdai stops and exits 130 and the request stays as typed.
constexpr std::string_view k_bash_widget = R"sh(
__cmdai_widget() {
  # The DEBUG trap fired for this widget, not for a command: the next command
  # line starts the clock, whether or not a suggestion comes back.
  __cmdai_armed=1
  __cmdai_start=
  [[ -n ${READLINE_LINE//[[:space:]]/} ]] || return 0
  local prompt=${PS1@P}
  prompt=${prompt##*$'\n'}
  printf '\r%s%s\n' "${prompt//[$'\001\002']/}" "$READLINE_LINE" >&2
  local out ok interrupt
  interrupt=$(trap -p INT)
  trap : INT
  out=$(__cmdai shell-suggest -- bash "$READLINE_LINE")
  ok=$?
  trap - INT
  eval "$interrupt"
  (( ok == 4 )) && { READLINE_LINE=; READLINE_POINT=0; }
  (( ok == 0 )) || return 0
  __cmdai_id=${out%%$'\n'*}
  READLINE_LINE=${out#*$'\n'}
  __cmdai_suggested=$READLINE_LINE
  READLINE_POINT=${#READLINE_LINE}
}
bind -x '"@KEY@": __cmdai_widget'
)sh";

// DEBUG fires before each command; only the first one after a prompt marks
// the start. PROMPT_COMMAND runs __cmdai_precmd first (to see $?) and
// __cmdai_arm last (so its own commands are not taken for the user's).
constexpr std::string_view k_bash_capture = R"sh(
__cmdai_preexec() {
  [[ -n ${__cmdai_armed-} ]] || return 0
  __cmdai_armed=
  __cmdai_start=$EPOCHREALTIME
}
__cmdai_precmd() {
  local status=$? line id=- now=$EPOCHREALTIME
  [[ -n ${__cmdai_start-} ]] || return 0
  line=$(HISTTIMEFORMAT= builtin history 1)
  if [[ $line =~ ^[[:space:]]*([0-9]+)[*]?[[:space:]]+(.*)$ && ${BASH_REMATCH[1]} != "${__cmdai_histno-}" ]]; then
    __cmdai_histno=${BASH_REMATCH[1]}
    local command=${BASH_REMATCH[2]}
    [[ $command == "${__cmdai_suggested-}" ]] && id=${__cmdai_id:--}
    local ms=$(( (${now//[.,]/} - ${__cmdai_start//[.,]/}) / 1000 ))
    __cmdai shell-record -- bash "$status" "$ms" "$id" "$PWD" "$command" >/dev/null 2>&1
  fi
  __cmdai_start= __cmdai_id= __cmdai_suggested=
}
__cmdai_arm() { __cmdai_armed=1; }
trap '__cmdai_preexec' DEBUG
PROMPT_COMMAND="__cmdai_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND};__cmdai_arm"
)sh";

// zle keeps the line on screen; its message area below the prompt says cmdai
// is working, then shows cmdai's notes (zle -M). A local INT trap keeps zle
// from discarding the line on Ctrl-C; cmdai stops and exits 130.
constexpr std::string_view k_zsh_widget = R"sh(
__cmdai_widget() {
  [[ -n ${BUFFER//[[:space:]]/} ]] || return 0
  setopt localoptions localtraps
  local out notice ok
  notice=$(command mktemp "${TMPDIR:-/tmp}/cmdai-notice.XXXXXXXXXX") || return 0
  zle -M "cmdai is working - Ctrl-C gives the request back"
  zle -R
  trap : INT
  out=$(__cmdai shell-suggest -- zsh "$BUFFER" 2>"$notice")
  ok=$?
  trap - INT
  if [[ -s $notice ]]; then zle -M "$(<"$notice")"; else zle -M ''; fi
  command rm -f -- "$notice"
  (( ok == 4 )) && BUFFER=
  (( ok == 0 )) || return 0
  __cmdai_id=${out%%$'\n'*}
  BUFFER=${out#*$'\n'}
  __cmdai_suggested=$BUFFER
  CURSOR=${#BUFFER}
}
zle -N __cmdai_widget
bindkey '@KEY@' __cmdai_widget
)sh";

constexpr std::string_view k_zsh_capture = R"sh(
zmodload zsh/datetime
__cmdai_preexec() { __cmdai_command=$1; __cmdai_start=$EPOCHREALTIME }
__cmdai_precmd() {
  local st=$? id=-
  [[ -n ${__cmdai_start-} ]] || return 0
  local -i ms=$(( (EPOCHREALTIME - __cmdai_start) * 1000 ))
  [[ $__cmdai_command == "${__cmdai_suggested-}" ]] && id=${__cmdai_id:--}
  __cmdai shell-record -- zsh "$st" "$ms" "$id" "$PWD" "$__cmdai_command" >/dev/null 2>&1
  __cmdai_start= __cmdai_id= __cmdai_suggested=
}
autoload -Uz add-zsh-hook
add-zsh-hook preexec __cmdai_preexec
precmd_functions=(__cmdai_precmd ${precmd_functions:#__cmdai_precmd})
)sh";

// cmdai's spinner and notes start on a line of their own below the request
// (the echo), and the repaint draws the prompt under them. While a SIGINT
// handler exists fish does not cancel the running function on Ctrl-C, so
// one is defined only while cmdai works: cmdai stops, exits 130, and the
// request stays on the line.
constexpr std::string_view k_fish_widget = R"sh(
function __cmdai_widget
    set -l line (commandline | string collect)
    string length -q -- (string trim -- "$line"); or return
    function __cmdai_interrupted --on-signal SIGINT
    end
    echo >&2
    set -l lines (__cmdai shell-suggest -- fish "$line")
    set -l ok $status
    functions -e __cmdai_interrupted
    test $ok -eq 4; and commandline -r ''
    if test $ok -ne 0
        commandline -f repaint
        return
    end
    set -g __cmdai_id $lines[1]
    set -g __cmdai_suggested (string join \n -- $lines[2..-1])
    commandline -r -- $__cmdai_suggested
    commandline -f repaint
end
bind @KEY@ __cmdai_widget
bind -M insert @KEY@ __cmdai_widget 2>/dev/null
)sh";

constexpr std::string_view k_fish_capture = R"sh(
function __cmdai_postexec --on-event fish_postexec
    set -l st $status
    set -l command (string collect -- $argv)
    set -l id -
    test "$command" = "$__cmdai_suggested"; and set id $__cmdai_id
    set -g __cmdai_id
    set -g __cmdai_suggested
    string length -q -- (string trim -- "$command"); or return
    __cmdai shell-record -- fish "$st" "$CMD_DURATION" "$id" "$PWD" "$command" >/dev/null 2>&1
end
)sh";

// Ctrl-R: the history picker (cmdai pick) with the line as its query. It
// prints "run" or "edit" and the command, or exits 1 for "leave the line as
// it was". bash cannot accept a line from a bind -x function, so Ctrl-R is a
// macro: the picker's key, then a second key the function has just bound to
// accept-line (run) or to a redraw (edit, cancel).
constexpr std::string_view k_bash_picker = R"sh(
__cmdai_pick() {
  local out
  bind '"\C-x\C-y": redraw-current-line'
  out=$(__cmdai pick -- "$READLINE_LINE") || return 0
  READLINE_LINE=${out#*$'\n'}
  READLINE_POINT=${#READLINE_LINE}
  [[ ${out%%$'\n'*} == run ]] && bind '"\C-x\C-y": accept-line'
  return 0
}
bind -x '"\C-x\C-p": __cmdai_pick'
bind '"\C-r": "\C-x\C-p\C-x\C-y"'
)sh";

constexpr std::string_view k_zsh_picker = R"sh(
__cmdai_pick() {
  local out ok
  out=$(__cmdai pick -- "$BUFFER")
  ok=$?
  zle reset-prompt
  (( ok == 0 )) || return 0
  BUFFER=${out#*$'\n'}
  CURSOR=${#BUFFER}
  [[ ${out%%$'\n'*} == run ]] && zle accept-line
  return 0
}
zle -N __cmdai_pick
bindkey '^R' __cmdai_pick
bindkey -M viins '^R' __cmdai_pick
)sh";

constexpr std::string_view k_fish_picker = R"sh(
function __cmdai_pick
    set -l line (commandline | string collect)
    set -l out (__cmdai pick -- "$line")
    set -l ok $status
    commandline -f repaint
    test $ok -eq 0; or return
    commandline -r -- (string join \n -- $out[2..-1])
    test "$out[1]" = run; and commandline -f execute
end
bind \cr __cmdai_pick
bind -M insert \cr __cmdai_pick 2>/dev/null
)sh";

// Every command this shell records or generates carries its session id
// (the picker's "this session"); a shell started inside it gets its own.
std::string session_line(const ShellInitOptions& options) {
  if (options.session_id.empty()) return "";
  if (options.shell == ShellType::fish) return "set -gx CMDAI_SESSION_ID " + options.session_id + "\n";
  return "export CMDAI_SESSION_ID=" + options.session_id + "\n";
}

// Before each prompt: with the embedding agent's socket there, the hook
// writes the activity file beside it, which starts the agent's idle time
// again, so the model stays loaded while the shell is in use (no process
// is started: a test and a redirection); without one (the first prompt,
// or the agent idled out), it starts the agent in the background, at most
// once per idle time, so one that cannot start is not tried at every
// prompt. A subshell (bash, zsh) or disown (fish) keeps it out of the job
// table. The hook keeps $? for whatever runs after it.
constexpr std::string_view k_posix_agent_hook = R"sh(
__cmdai_agent_warm() {
  local s=$?
  if [[ -S @SOCKET@ ]]; then
    { : >|@ACTIVE@; } 2>/dev/null
  elif (( SECONDS - ${__cmdai_agent_at:--@IDLE@} >= @IDLE@ )); then
    __cmdai_agent_at=$SECONDS
    ( __cmdai embed-agent start </dev/null >/dev/null 2>&1 & )
  fi
  return $s
}
)sh";

constexpr std::string_view k_bash_agent_register = R"sh([[ $PROMPT_COMMAND == *__cmdai_agent_warm* ]] ||
  PROMPT_COMMAND="__cmdai_agent_warm${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
)sh";

constexpr std::string_view k_zsh_agent_register =
    "precmd_functions=(${precmd_functions:#__cmdai_agent_warm} __cmdai_agent_warm)\n";

constexpr std::string_view k_fish_agent_hook = R"sh(
function __cmdai_agent_warm --on-event fish_prompt
    if test -S @SOCKET@
        begin
            true >@ACTIVE@
        end 2>/dev/null
    else if not set -q __cmdai_agent_at; or test (command date +%s) -ge $__cmdai_agent_at
        set -g __cmdai_agent_at (math (command date +%s) + @IDLE@)
        command @BINARY@ embed-agent start </dev/null >/dev/null 2>&1 &
        disown 2>/dev/null
    end
end
)sh";

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string agent_hook(const ShellInitOptions& options) {
  if (!options.embed_agent) return "";
  const auto& agent = *options.embed_agent;
  const ShellDialect dialect = options.shell == ShellType::fish ? ShellDialect::fish : ShellDialect::posix;
  std::string hook(options.shell == ShellType::fish ? k_fish_agent_hook : k_posix_agent_hook);
  hook = replace_all(hook, "@SOCKET@", shell_quote_always(agent.socket, dialect));
  hook = replace_all(hook, "@ACTIVE@", shell_quote_always(agent.activity, dialect));
  hook = replace_all(hook, "@IDLE@", std::to_string(agent.idle_seconds));
  hook = replace_all(hook, "@BINARY@", shell_quote_always(options.binary, dialect));
  if (options.shell == ShellType::bash) hook += k_bash_agent_register;
  if (options.shell == ShellType::zsh) hook += k_zsh_agent_register;
  return hook;
}

std::string replace_key(std::string_view text, const std::string& key) {
  return replace_all(std::string(text), "@KEY@", key);
}

}  // namespace

Result<KeyBinding> parse_key_binding(std::string_view spec) {
  auto bad = [&] {
    return fail(ErrorCode::invalid_argument, "shell.key_binding '" + std::string(spec.substr(0, 40)) + "' is not a key",
                "use ctrl-<letter> or alt-<letter>, e.g. ctrl-g");
  };
  std::string lower;
  for (char c : spec) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  KeyBinding key;
  if (lower.starts_with("ctrl-")) {
    key.modifier = KeyBinding::Modifier::ctrl;
  } else if (lower.starts_with("alt-")) {
    key.modifier = KeyBinding::Modifier::alt;
  } else {
    return bad();
  }
  const std::string letter = lower.substr(lower.find('-') + 1);
  if (letter.size() != 1 || letter[0] < 'a' || letter[0] > 'z') return bad();
  key.letter = letter[0];
  return key;
}

std::string key_sequence(ShellType shell, KeyBinding key) {
  const bool ctrl = key.modifier == KeyBinding::Modifier::ctrl;
  switch (shell) {
    case ShellType::zsh:
      return ctrl ? std::string("^") + static_cast<char>(std::toupper(key.letter)) : std::string("^[") + key.letter;
    case ShellType::fish: return (ctrl ? "\\c" : "\\e") + std::string(1, key.letter);
    default: return (ctrl ? "\\C-" : "\\e") + std::string(1, key.letter);
  }
}

Result<std::string> shell_init_script(const ShellInitOptions& options) {
  const std::string key = key_sequence(options.shell, options.key);
  std::string script = "# cmdai shell integration (" + std::string(to_string(options.shell)) +
                       "): put  eval \"$(cmdai init " + std::string(to_string(options.shell)) +
                       ")\"  in your rc file.\n# Press the key on a request to replace it with the command; "
                       "Enter runs it.\n";
  switch (options.shell) {
    case ShellType::bash:
    case ShellType::zsh:
      script += "__cmdai() { " + shell_quote_always(options.binary) + " \"$@\"; }\n";
      script += session_line(options);
      script += agent_hook(options);
      script += replace_key(options.shell == ShellType::bash ? k_bash_widget : k_zsh_widget, key);
      if (options.ctrl_r) script += options.shell == ShellType::bash ? k_bash_picker : k_zsh_picker;
      if (options.capture) script += options.shell == ShellType::bash ? k_bash_capture : k_zsh_capture;
      if (options.guard) script += shell_guard_script(options.shell);
      return script;
    case ShellType::fish:
      script += "function __cmdai\n    " + shell_quote_always(options.binary, ShellDialect::fish) + " $argv\nend\n";
      script += session_line(options);
      script += agent_hook(options);
      script += replace_key(k_fish_widget, key);
      if (options.ctrl_r) script += k_fish_picker;
      if (options.capture) script += k_fish_capture;
      if (options.guard) script += shell_guard_script(options.shell);
      return script;
    default:
      return fail(ErrorCode::invalid_argument, "no shell integration for " + std::string(to_string(options.shell)),
                  "use bash, zsh or fish");
  }
}

}  // namespace cmdai::cli
