#pragma once
// Whether a generated command may run, and the conversation that decides it.
//
// decide() is the whole policy as a pure function of risk level, the risk
// levels that ask (safety.confirmation_required), configured safety level,
// terminal and -y. A level the list names asks this way:
//
//   risk      | strict        | moderate (default) | permissive
//   safe      | y/N           | y/N                | y/N
//   moderate  | y/N           | y/N                | run
//   high      | typed phrase  | y/N with warning   | y/N with warning
//   critical  | blocked       | typed phrase       | typed phrase
//
// A level the list does not name runs unasked - except critical, which
// always asks (or, in strict, is blocked) whatever the list says. The
// default list (moderate, high, critical) leaves safe commands running
// unasked. -y answers y/N questions; it never answers a typed-phrase
// question. Without a terminal nothing that needs an answer runs: y/N needs
// -y, a typed phrase cannot be given at all.
//
// Unknown is not safe: a command the validator could not see through
// (ValidationResult::unverified: a command word built at run time, code it
// does not parse, hidden data) is asked about on a terminal whatever its
// level, -y does not answer that question, and without a terminal it never
// runs.

#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/configuration.h"
#include "core/entities.h"
#include "safety/validation_result.h"

namespace cmdai::cli {

enum class Gate {
  run,          // runs without a question
  yes_no,       // y/N
  yes_no_warn,  // y/N after a warning
  phrase,       // the user types k_confirm_phrase
  blocked,      // never runs at this safety level
};

enum class Interactivity { terminal, none };
enum class AssumeYes { no, yes };

enum class Verdict {
  run_unasked,          // runs; user_confirmed = false
  run_assumed_yes,      // -y answered the y/N question; user_confirmed = true
  ask,                  // ask on the terminal (confirm_on_terminal)
  blocked_no_terminal,  // needs an answer nobody can give here
  blocked_by_policy,    // the safety level forbids it
};

struct Decision {
  Gate gate = Gate::run;
  Verdict verdict = Verdict::run_unasked;
  bool unverified = false;  // asked because cmdai could not see what it runs
};

// What a critical (or, in strict, high) command needs typed before it runs.
inline constexpr std::string_view k_confirm_phrase = "critical";

Gate required_gate(RiskLevel risk, config::SafetyLevel level, std::span<const RiskLevel> confirmation_required);
Decision decide(RiskLevel risk, config::SafetyLevel level, std::span<const RiskLevel> confirmation_required,
                Interactivity interactivity, AssumeYes assume_yes);
// decide() for a validated command, unverified constructs included.
Decision decide(const safety::ValidationResult& validation, config::SafetyLevel level,
                std::span<const RiskLevel> confirmation_required, Interactivity interactivity, AssumeYes assume_yes);

std::string_view to_string(Gate gate);        // JSON names
std::string_view to_string(Verdict verdict);  // JSON names
// What would happen, in words for people: "it would ask y/N before running".
std::string describe(const Decision& decision);

// Reads answers from the user. nullopt: end of input (treated as "no").
class Prompter {
 public:
  virtual ~Prompter() = default;
  virtual std::optional<std::string> ask(std::string_view prompt) = 0;
  // A line editor with initial already typed in.
  virtual std::optional<std::string> edit(std::string_view prompt, std::string_view initial) = 0;
};

// The real terminal: questions on stderr, answers from stdin; edit() uses
// libedit, opened on first use.
class TerminalPrompter final : public Prompter {
 public:
  std::optional<std::string> ask(std::string_view prompt) override;
  std::optional<std::string> edit(std::string_view prompt, std::string_view initial) override;
};

struct Candidate {
  std::string command;
  safety::ValidationResult validation;
};

enum class Outcome { run, copy, abort, blocked };

struct Confirmation {
  Outcome outcome = Outcome::abort;
  Candidate candidate;          // what to run: edited and re-validated if the user edited it
  bool user_confirmed = false;  // the user said yes or typed the phrase
};

// Everything confirm_on_terminal needs besides the prompter.
struct ConfirmContext {
  std::function<safety::ValidationResult(const std::string&)> revalidate;
  std::function<Gate(RiskLevel)> gate_for;  // required_gate for the configured level
  std::ostream& err;
  bool color = false;
};

// Asks until the user runs, copies or aborts: y (or the phrase), e edit,
// x explain more, c copy, anything else aborts. An edited command is
// validated again and asked about with its own gate (at least y/N).
Confirmation confirm_on_terminal(Candidate candidate, Prompter& prompter, const ConfirmContext& context);

// The rules that fired, where, why, and the safer alternatives.
void explain_findings(std::ostream& out, const safety::ValidationResult& validation, bool color);

}  // namespace cmdai::cli
