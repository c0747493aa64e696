// The confirmation policy (every risk x safety level x terminal x -y) and
// the conversation at the prompt, with a scripted prompter.

#include "cli/confirm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <sstream>

#include "safety/validator.h"

namespace cmdai::cli {
namespace {

using config::SafetyLevel;

constexpr RiskLevel k_risks[] = {RiskLevel::safe, RiskLevel::moderate, RiskLevel::high, RiskLevel::critical};
constexpr SafetyLevel k_levels[] = {SafetyLevel::strict, SafetyLevel::moderate, SafetyLevel::permissive};
const std::vector<RiskLevel> k_default_required{RiskLevel::moderate, RiskLevel::high, RiskLevel::critical};

// The table of confirm.h, written out again as the specification.
Gate expected_gate(RiskLevel risk, SafetyLevel level) {
  const Gate table[4][3] = {
      /* safe     */ {Gate::run, Gate::run, Gate::run},
      /* moderate */ {Gate::yes_no, Gate::yes_no, Gate::run},
      /* high     */ {Gate::phrase, Gate::yes_no_warn, Gate::yes_no_warn},
      /* critical */ {Gate::blocked, Gate::phrase, Gate::phrase},
  };
  return table[static_cast<int>(risk)][static_cast<int>(level)];
}

Verdict expected_verdict(Gate gate, Interactivity tty, AssumeYes yes) {
  const bool terminal = tty == Interactivity::terminal;
  switch (gate) {
    case Gate::run: return Verdict::run_unasked;
    case Gate::blocked: return Verdict::blocked_by_policy;
    case Gate::phrase: return terminal ? Verdict::ask : Verdict::blocked_no_terminal;
    default:
      if (yes == AssumeYes::yes) return Verdict::run_assumed_yes;
      return terminal ? Verdict::ask : Verdict::blocked_no_terminal;
  }
}

TEST(Decide, EveryRiskTimesSafetyLevelTimesTerminalTimesYes) {
  int cases = 0;
  for (RiskLevel risk : k_risks) {
    for (SafetyLevel level : k_levels) {
      for (Interactivity tty : {Interactivity::terminal, Interactivity::none}) {
        for (AssumeYes yes : {AssumeYes::no, AssumeYes::yes}) {
          const Decision d = decide(risk, level, k_default_required, tty, yes);
          const Gate gate = expected_gate(risk, level);
          SCOPED_TRACE(std::string(to_string(risk)) + " " + std::string(config::to_string(level)) +
                       (tty == Interactivity::terminal ? " tty" : " no-tty") + (yes == AssumeYes::yes ? " -y" : ""));
          EXPECT_EQ(d.gate, gate);
          EXPECT_EQ(d.verdict, expected_verdict(gate, tty, yes));
          ++cases;
        }
      }
    }
  }
  EXPECT_EQ(cases, 4 * 3 * 2 * 2);
}

TEST(Decide, CriticalNeverRunsWithoutTheTypedPhrase) {
  for (SafetyLevel level : k_levels) {
    for (Interactivity tty : {Interactivity::terminal, Interactivity::none}) {
      for (AssumeYes yes : {AssumeYes::no, AssumeYes::yes}) {
        const Decision d = decide(RiskLevel::critical, level, k_default_required, tty, yes);
        EXPECT_NE(d.verdict, Verdict::run_unasked);
        EXPECT_NE(d.verdict, Verdict::run_assumed_yes);
        EXPECT_TRUE(d.gate == Gate::phrase || d.gate == Gate::blocked);
      }
    }
  }
}

TEST(Decide, WithoutATerminalNothingIsEverAsked) {
  for (RiskLevel risk : k_risks) {
    for (SafetyLevel level : k_levels) {
      for (AssumeYes yes : {AssumeYes::no, AssumeYes::yes}) {
        EXPECT_NE(decide(risk, level, k_default_required, Interactivity::none, yes).verdict, Verdict::ask);
      }
    }
  }
}

// The list is the whole answer to "does it ask": every listed level asks
// (as the safety level says), every other runs unasked - but critical,
// which asks (or is blocked in strict) even when a list leaves it out, and
// moderate under permissive, which never asks.
TEST(Decide, TheListedLevelsAskAndOnlyThey) {
  const std::vector<std::vector<RiskLevel>> lists{{RiskLevel::critical},
                                                  {RiskLevel::safe, RiskLevel::critical},
                                                  {RiskLevel::moderate, RiskLevel::critical},
                                                  {RiskLevel::high},
                                                  {RiskLevel::safe, RiskLevel::moderate, RiskLevel::high}};
  for (const auto& list : lists) {
    for (SafetyLevel level : k_levels) {
      for (RiskLevel risk : k_risks) {
        SCOPED_TRACE(std::string(to_string(risk)) + " " + std::string(config::to_string(level)));
        const bool listed = std::ranges::find(list, risk) != list.end() || risk == RiskLevel::critical;
        const Gate gate = required_gate(risk, level, list);
        if (!listed) {
          EXPECT_EQ(gate, Gate::run);
        } else if (risk == RiskLevel::safe) {
          EXPECT_EQ(gate, Gate::yes_no);
        } else {
          EXPECT_EQ(gate, expected_gate(risk, level)) << "how it asks follows the safety level";
        }
      }
    }
  }
  EXPECT_EQ(required_gate(RiskLevel::high, SafetyLevel::strict, std::vector{RiskLevel::critical}), Gate::run);
  EXPECT_EQ(required_gate(RiskLevel::moderate, SafetyLevel::moderate, std::vector{RiskLevel::critical}), Gate::run);
  EXPECT_EQ(required_gate(RiskLevel::critical, SafetyLevel::strict, std::vector<RiskLevel>{}), Gate::blocked);
  EXPECT_EQ(required_gate(RiskLevel::critical, SafetyLevel::permissive, std::vector<RiskLevel>{}), Gate::phrase);
}

TEST(Decide, SafeAsksOnlyWhenConfigured) {
  const std::vector<RiskLevel> with_safe{RiskLevel::safe};
  EXPECT_EQ(required_gate(RiskLevel::safe, SafetyLevel::moderate, with_safe), Gate::yes_no);
  EXPECT_EQ(decide(RiskLevel::safe, SafetyLevel::permissive, with_safe, Interactivity::none, AssumeYes::no).verdict,
            Verdict::blocked_no_terminal);
  EXPECT_EQ(decide(RiskLevel::safe, SafetyLevel::strict, {}, Interactivity::none, AssumeYes::no).verdict,
            Verdict::run_unasked);
}

// Unknown is not safe: whatever its level, a command cmdai could not see
// through is asked about on a terminal (-y does not answer it) and never runs
// without one; the safety level may still block it outright.
TEST(Decide, UnverifiedIsAskedOnATerminalAndNeverRunsWithoutOne) {
  safety::ValidationResult v;
  v.unverified = {"the program name comes from a variable"};
  for (RiskLevel risk : k_risks) {
    v.risk_level = risk;
    for (SafetyLevel level : k_levels) {
      for (AssumeYes yes : {AssumeYes::no, AssumeYes::yes}) {
        SCOPED_TRACE(std::string(to_string(risk)) + " " + std::string(config::to_string(level)));
        const Decision plain = decide(risk, level, k_default_required, Interactivity::terminal, yes);
        const Decision tty = decide(v, level, k_default_required, Interactivity::terminal, yes);
        const Decision none = decide(v, level, k_default_required, Interactivity::none, yes);
        if (plain.verdict == Verdict::blocked_by_policy) {
          EXPECT_EQ(tty.verdict, Verdict::blocked_by_policy);
          continue;
        }
        EXPECT_EQ(tty.verdict, Verdict::ask);
        EXPECT_EQ(none.verdict, Verdict::blocked_no_terminal);
        EXPECT_TRUE(none.unverified);
        EXPECT_NE(tty.gate, Gate::run);
      }
    }
  }
  v.unverified.clear();
  v.risk_level = RiskLevel::safe;
  EXPECT_EQ(decide(v, SafetyLevel::moderate, k_default_required, Interactivity::none, AssumeYes::no).verdict,
            Verdict::run_unasked);
}

class ScriptedPrompter final : public Prompter {
 public:
  explicit ScriptedPrompter(std::deque<std::string> answers, std::deque<std::string> edits = {})
      : m_answers(std::move(answers)), m_edits(std::move(edits)) {}
  std::optional<std::string> ask(std::string_view prompt) override {
    prompts.emplace_back(prompt);
    if (m_answers.empty()) return std::nullopt;
    auto answer = m_answers.front();
    m_answers.pop_front();
    return answer;
  }
  std::optional<std::string> edit(std::string_view, std::string_view initial) override {
    edited_from.emplace_back(initial);
    if (m_edits.empty()) return std::nullopt;
    auto line = m_edits.front();
    m_edits.pop_front();
    return line;
  }
  std::vector<std::string> prompts;
  std::vector<std::string> edited_from;

 private:
  std::deque<std::string> m_answers;
  std::deque<std::string> m_edits;
};

class Conversation : public ::testing::Test {
 protected:
  Confirmation talk(const std::string& command, ScriptedPrompter& prompter, SafetyLevel level = SafetyLevel::moderate) {
    ConfirmContext context{[this](const std::string& c) { return validate(c); },
                           [level](RiskLevel risk) { return required_gate(risk, level, k_default_required); }, m_err,
                           false};
    return confirm_on_terminal({command, validate(command)}, prompter, context);
  }
  safety::ValidationResult validate(const std::string& command) {
    safety::ValidationContext context;
    context.working_directory = "/home/tester/project";
    context.home_directory = "/home/tester";
    return safety::Validator{}.validate(command, context);
  }
  std::ostringstream m_err;
};

TEST_F(Conversation, YesRunsAHighCommandAfterTheWarningAndCountsAsConfirmed) {
  ScriptedPrompter prompter({"y"});
  auto c = talk("rm -rf ./build", prompter);
  EXPECT_EQ(c.outcome, Outcome::run);
  EXPECT_TRUE(c.user_confirmed);
  EXPECT_NE(m_err.str().find("Warning: high"), std::string::npos) << m_err.str();
}

TEST_F(Conversation, EnterOrAnythingElseAborts) {
  for (const char* answer : {"", "n", "no", "maybe", "yy"}) {
    ScriptedPrompter prompter({answer});
    EXPECT_EQ(talk("rm -rf ./build", prompter).outcome, Outcome::abort) << answer;
  }
  ScriptedPrompter eof({});
  EXPECT_EQ(talk("rm -rf ./build", eof).outcome, Outcome::abort);
}

TEST_F(Conversation, CriticalNeedsThePhraseNotYes) {
  ScriptedPrompter yes_only({"y", "yes", "Y"});
  auto refused = talk("rm -rf ~", yes_only);
  EXPECT_EQ(refused.outcome, Outcome::abort);
  EXPECT_FALSE(refused.user_confirmed);
  EXPECT_EQ(yes_only.prompts.size(), 4u);  // asked again after each yes, then end of input
  ScriptedPrompter phrase({"critical"});
  auto accepted = talk("rm -rf ~", phrase);
  EXPECT_EQ(accepted.outcome, Outcome::run);
  EXPECT_TRUE(accepted.user_confirmed);
}

TEST_F(Conversation, StrictBlocksCriticalEvenWithThePhrase) {
  ScriptedPrompter phrase({"critical"});
  EXPECT_EQ(talk("rm -rf /", phrase, SafetyLevel::strict).outcome, Outcome::blocked);
  EXPECT_TRUE(phrase.prompts.empty());
}

TEST_F(Conversation, EditIsPrefilledAndTheEditedCommandIsValidatedAgain) {
  ScriptedPrompter prompter({"e", "y", "critical"}, {"rm -rf ~"});
  auto c = talk("rm -rf ./build", prompter);
  ASSERT_EQ(prompter.edited_from.size(), 1u);
  EXPECT_EQ(prompter.edited_from[0], "rm -rf ./build");
  EXPECT_EQ(c.outcome, Outcome::run);
  EXPECT_EQ(c.candidate.command, "rm -rf ~");
  EXPECT_EQ(c.candidate.validation.risk_level, RiskLevel::critical);
  EXPECT_NE(prompter.prompts[1].find("critical"), std::string::npos);  // the phrase question, "y" refused
}

TEST_F(Conversation, EditingIntoASafeCommandStillAsks) {
  ScriptedPrompter prompter({"e", "n"}, {"ls -la"});
  auto c = talk("rm -rf ./build", prompter);
  EXPECT_EQ(c.outcome, Outcome::abort);
  EXPECT_EQ(c.candidate.command, "ls -la");
  EXPECT_EQ(prompter.prompts.size(), 2u);
}

TEST_F(Conversation, ExplainPrintsTheRulesAndAsksAgainCopyReturnsTheCommand) {
  ScriptedPrompter prompter({"x", "c"});
  auto c = talk("rm -rf ./build", prompter);
  EXPECT_EQ(c.outcome, Outcome::copy);
  EXPECT_FALSE(c.user_confirmed);
  EXPECT_NE(m_err.str().find("rm.recursive"), std::string::npos) << m_err.str();
  EXPECT_NE(m_err.str().find("Safer:"), std::string::npos);
}

TEST(ExplainFindings, SaysSoWhenNoRuleFired) {
  std::ostringstream out;
  explain_findings(out, safety::ValidationResult{}, false);
  EXPECT_NE(out.str().find("No safety rule fired"), std::string::npos);
}

TEST(Describe, SaysWhatWouldHappenInWordsNotEnumNames) {
  const std::vector<RiskLevel> asks{RiskLevel::moderate, RiskLevel::high, RiskLevel::critical};
  const auto on_terminal = [&](RiskLevel risk, SafetyLevel level) {
    return describe(decide(risk, level, asks, Interactivity::terminal, AssumeYes::no));
  };
  EXPECT_EQ(on_terminal(RiskLevel::safe, SafetyLevel::moderate), "it would run without asking");
  EXPECT_EQ(on_terminal(RiskLevel::moderate, SafetyLevel::moderate), "it would ask y/N before running");
  EXPECT_EQ(on_terminal(RiskLevel::high, SafetyLevel::moderate), "it would warn, then ask y/N before running");
  EXPECT_EQ(on_terminal(RiskLevel::critical, SafetyLevel::moderate),
            "it would ask you to type 'critical' before running");
  EXPECT_EQ(on_terminal(RiskLevel::critical, SafetyLevel::strict), "it would not run: the safety level forbids it");
  EXPECT_EQ(describe(decide(RiskLevel::moderate, SafetyLevel::moderate, asks, Interactivity::none, AssumeYes::yes)),
            "it would ask y/N before running; -y answers yes");
  const auto piped =
      describe(decide(RiskLevel::moderate, SafetyLevel::moderate, asks, Interactivity::none, AssumeYes::no));
  EXPECT_NE(piped.find("no terminal to ask on"), std::string::npos) << piped;
  for (const auto& text : {piped, on_terminal(RiskLevel::high, SafetyLevel::strict)}) {
    for (const char* name : {"yes_no", "run_unasked", "blocked_no_terminal", "typed_phrase", "blocked_by_policy"}) {
      EXPECT_EQ(text.find(name), std::string::npos) << text;
    }
  }
}

}  // namespace
}  // namespace cmdai::cli
