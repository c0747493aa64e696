#include "cli/confirm.h"

#include <histedit.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ostream>

#include "cli/output.h"
#include "core/shared_library.h"
#include "core/terminal_text.h"

namespace cmdai::cli {

Gate required_gate(RiskLevel risk, config::SafetyLevel level, std::span<const RiskLevel> confirmation_required) {
  using config::SafetyLevel;
  if (risk == RiskLevel::critical) return level == SafetyLevel::strict ? Gate::blocked : Gate::phrase;
  if (std::ranges::find(confirmation_required, risk) == confirmation_required.end()) return Gate::run;
  switch (risk) {
    case RiskLevel::safe: return Gate::yes_no;
    case RiskLevel::moderate: return level == SafetyLevel::permissive ? Gate::run : Gate::yes_no;
    case RiskLevel::high: return level == SafetyLevel::strict ? Gate::phrase : Gate::yes_no_warn;
    case RiskLevel::critical: break;
  }
  return Gate::blocked;
}

Decision decide(RiskLevel risk, config::SafetyLevel level, std::span<const RiskLevel> confirmation_required,
                Interactivity interactivity, AssumeYes assume_yes) {
  const Gate gate = required_gate(risk, level, confirmation_required);
  const bool terminal = interactivity == Interactivity::terminal;
  switch (gate) {
    case Gate::run: return {gate, Verdict::run_unasked};
    case Gate::blocked: return {gate, Verdict::blocked_by_policy};
    case Gate::yes_no:
    case Gate::yes_no_warn:
      if (assume_yes == AssumeYes::yes) return {gate, Verdict::run_assumed_yes};
      return {gate, terminal ? Verdict::ask : Verdict::blocked_no_terminal};
    case Gate::phrase: return {gate, terminal ? Verdict::ask : Verdict::blocked_no_terminal};
  }
  return {Gate::blocked, Verdict::blocked_by_policy};
}

Decision decide(const safety::ValidationResult& validation, config::SafetyLevel level,
                std::span<const RiskLevel> confirmation_required, Interactivity interactivity, AssumeYes assume_yes) {
  Decision d = decide(validation.risk_level, level, confirmation_required, interactivity, assume_yes);
  if (validation.unverified.empty() || d.verdict == Verdict::blocked_by_policy) return d;
  d.unverified = true;
  if (d.gate == Gate::run) d.gate = Gate::yes_no_warn;
  d.verdict = interactivity == Interactivity::terminal ? Verdict::ask : Verdict::blocked_no_terminal;
  return d;
}

std::string_view to_string(Gate gate) {
  switch (gate) {
    case Gate::run: return "run";
    case Gate::yes_no: return "yes_no";
    case Gate::yes_no_warn: return "yes_no_warn";
    case Gate::phrase: return "typed_phrase";
    case Gate::blocked: return "blocked";
  }
  return "blocked";
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::run_unasked: return "run";
    case Verdict::run_assumed_yes: return "run_assumed_yes";
    case Verdict::ask: return "ask";
    case Verdict::blocked_no_terminal: return "blocked_no_terminal";
    case Verdict::blocked_by_policy: return "blocked_by_policy";
  }
  return "blocked_by_policy";
}

namespace {

std::string_view gate_words(Gate gate) {
  switch (gate) {
    case Gate::run: return "run without asking";
    case Gate::yes_no: return "ask y/N before running";
    case Gate::yes_no_warn: return "warn, then ask y/N before running";
    case Gate::phrase: return "ask you to type 'critical' before running";
    case Gate::blocked: return "not run: the safety level forbids it";
  }
  return "not run";
}

}  // namespace

std::string describe(const Decision& decision) {
  std::string text = "it would " + std::string(gate_words(decision.gate));
  if (decision.unverified) text += " (cmdai cannot see everything it runs)";
  switch (decision.verdict) {
    case Verdict::run_assumed_yes: return text + "; -y answers yes";
    case Verdict::blocked_no_terminal:
      return text + "; there is no terminal to ask on here, so it would not run" +
             (decision.gate == Gate::phrase || decision.unverified ? " (-y does not answer this)"
                                                                   : " (-y would answer)");
    default: return text;
  }
}

void explain_findings(std::ostream& out, const safety::ValidationResult& validation, bool color) {
  if (validation.findings.empty()) out << "  No safety rule fired: nothing in it deletes, overwrites or escalates.\n";
  for (const auto& f : validation.findings) {
    out << "  " << risk_color(f.level, color) << to_string(f.level) << reset_color(color) << "  " << f.rule_id << ": "
        << terminal_text(f.message) << "\n";
    if (!f.segment.empty()) out << "      in: " << terminal_text(f.segment) << "\n";
    if (!f.context_signal.empty()) out << "      because: " << terminal_text(f.context_signal) << "\n";
  }
  for (const auto& alternative : validation.suggested_alternatives) {
    out << "  Safer: " << terminal_text(alternative) << "\n";
  }
}

namespace {

enum class Answer { yes, phrase, edit, explain, copy, other };

Answer classify(const std::string& raw) {
  std::string text = raw;
  std::erase_if(text, [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
  std::ranges::transform(text, text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (text == k_confirm_phrase) return Answer::phrase;
  if (text == "y" || text == "yes") return Answer::yes;
  if (text == "e" || text == "edit") return Answer::edit;
  if (text == "x" || text == "explain") return Answer::explain;
  if (text == "c" || text == "copy") return Answer::copy;
  return Answer::other;
}

std::string question(Gate gate) {
  if (gate == Gate::phrase) {
    return "Type '" + std::string(k_confirm_phrase) + "' to run it [e edit, x explain, c copy, anything else aborts]: ";
  }
  return "Run it? [y/N, e edit, x explain, c copy] ";
}

void warn(const Candidate& candidate, Gate gate, const ConfirmContext& context) {
  const auto& v = candidate.validation;
  for (const auto& reason : v.unverified) context.err << "Unverified: " << terminal_text(reason) << "\n";
  if (gate != Gate::yes_no_warn && gate != Gate::phrase) return;
  context.err << risk_color(v.risk_level, context.color) << "Warning: " << to_string(v.risk_level) << " risk"
              << reset_color(context.color) << " - " << terminal_text(v.explanation) << "\n";
}

}  // namespace

Confirmation confirm_on_terminal(Candidate candidate, Prompter& prompter, const ConfirmContext& context) {
  Gate gate = context.gate_for(candidate.validation.risk_level);
  while (true) {
    if (gate == Gate::blocked) {
      context.err << "cmdai: this command is " << to_string(candidate.validation.risk_level)
                  << " and the safety level does not allow it to run\n";
      return {Outcome::blocked, std::move(candidate), false};
    }
    if (gate == Gate::run) gate = Gate::yes_no;  // asked already: the answer decides
    warn(candidate, gate, context);
    const auto line = prompter.ask(question(gate));
    if (!line) return {Outcome::abort, std::move(candidate), false};
    const Answer answer = classify(*line);
    if (answer == Answer::phrase || (answer == Answer::yes && gate != Gate::phrase)) {
      return {Outcome::run, std::move(candidate), true};
    }
    if (answer == Answer::yes) {
      context.err << "This one needs the word '" << k_confirm_phrase << "' typed out.\n";
      continue;
    }
    if (answer == Answer::copy) return {Outcome::copy, std::move(candidate), false};
    if (answer == Answer::explain) {
      explain_findings(context.err, candidate.validation, context.color);
      continue;
    }
    if (answer != Answer::edit) return {Outcome::abort, std::move(candidate), false};
    auto edited = prompter.edit("edit> ", candidate.command);
    if (!edited || edited->empty() || *edited == candidate.command) continue;
    candidate.command = *edited;
    candidate.validation = context.revalidate(candidate.command);
    gate = context.gate_for(candidate.validation.risk_level);
    context.err << "  " << risk_color(candidate.validation.risk_level, context.color)
                << "Risk: " << to_string(candidate.validation.risk_level) << reset_color(context.color) << " - "
                << terminal_text(candidate.validation.explanation) << "\n";
  }
}

std::optional<std::string> TerminalPrompter::ask(std::string_view prompt) {
  ::write(2, prompt.data(), prompt.size());
  std::string line;
  char c = 0;
  while (true) {
    const ssize_t n = ::read(0, &c, 1);  // unbuffered: the rest of stdin stays for the command
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line.empty() ? std::nullopt : std::optional<std::string>(line);
    if (c == '\n') return line;
    line += c;
  }
}

namespace {

std::string g_edit_prompt;  // libedit's prompt callback takes no user data
char* edit_prompt(EditLine*) { return g_edit_prompt.data(); }

// libedit, opened on first use: only an edit at the prompt needs it, and
// linked it would load libbsd and libmd at every start.
struct EditLineLibrary {
  decltype(&::el_init) init = nullptr;
  decltype(&::el_end) end = nullptr;
  decltype(&::el_set) set = nullptr;
  decltype(&::el_push) push = nullptr;
  decltype(&::el_gets) gets = nullptr;
};

std::optional<EditLineLibrary> open_editline() {
  auto handle =
      open_shared_library("libedit.so.2", "libedit", "install it (apt-get install libedit2) to edit commands");
  if (!handle) return std::nullopt;
  EditLineLibrary lib;
  std::string missing;
  bind_symbol(*handle, "el_init", lib.init, missing);
  bind_symbol(*handle, "el_end", lib.end, missing);
  bind_symbol(*handle, "el_set", lib.set, missing);
  bind_symbol(*handle, "el_push", lib.push, missing);
  bind_symbol(*handle, "el_gets", lib.gets, missing);
  if (!missing.empty()) return std::nullopt;
  return lib;
}

const EditLineLibrary* editline_library() {
  static const std::optional<EditLineLibrary> library = open_editline();
  return library ? &*library : nullptr;
}

struct EditLineDeleter {
  const EditLineLibrary* lib;
  void operator()(EditLine* el) const { lib->end(el); }
};

}  // namespace

// Without libedit there is no line editor: the caller falls back as when
// the terminal refuses one.
std::optional<std::string> TerminalPrompter::edit(std::string_view prompt, std::string_view initial) {
  const EditLineLibrary* lib = editline_library();
  if (lib == nullptr) return std::nullopt;
  g_edit_prompt = std::string(prompt);
  std::unique_ptr<EditLine, EditLineDeleter> el(lib->init("cmdai", stdin, stderr, stderr), EditLineDeleter{lib});
  if (!el) return std::nullopt;
  lib->set(el.get(), EL_EDITOR, "emacs");
  lib->set(el.get(), EL_PROMPT, edit_prompt);
  lib->set(el.get(), EL_SIGNAL, 1);
  const std::string text(initial);
  lib->push(el.get(), text.c_str());
  int count = 0;
  const char* line = lib->gets(el.get(), &count);
  if (line == nullptr || count <= 0) return std::nullopt;
  std::string out(line, static_cast<std::size_t>(count));
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace cmdai::cli
