#include "cli/guard_check.h"

#include <chrono>

#include "history/history_store.h"
#include "pipeline/settings.h"
#include "safety/validator.h"

namespace cmdai::cli {
namespace {

guard::Verdict verdict_of(config::GuardAction action) {
  switch (action) {
    case config::GuardAction::pass: return guard::Verdict::pass;
    case config::GuardAction::allow: return guard::Verdict::allow;
    case config::GuardAction::ask: return guard::Verdict::ask;
    case config::GuardAction::deny: return guard::Verdict::deny;
  }
  return guard::Verdict::deny;
}

Result<safety::Validator> guard_validator(const config::ConfigurationState& state) {
  auto patterns = safety::parse_custom_patterns(state.custom_safety_patterns);
  if (!patterns) return fail(patterns.error());
  for (auto& pattern : guard::deny_patterns(state.guard_deny)) patterns->push_back(std::move(pattern));
  return safety::Validator::create({*patterns});
}

}  // namespace

guard::Policy guard_policy(const config::ConfigurationState& state) {
  guard::Policy policy;
  for (std::size_t i = 0; i < policy.by_level.size(); ++i) policy.by_level[i] = verdict_of(state.guard_actions[i]);
  return policy;
}

Result<GuardCheck> check_for_guard(const Env& env, const config::ConfigurationState& state, const guard::Policy& policy,
                                   const std::string& command, const std::string& cwd) {
  auto validator = guard_validator(state);
  if (!validator) return fail(validator.error());
  const auto context = pipeline::validation_context(state, env, cwd, ShellType::bash);
  auto allow = guard::load_allow_list(env, cwd);
  const auto started = env.monotonic_now();
  const auto validation = validator->validate(command, context);
  GuardCheck check;
  check.decision = guard::decide(command, validation, policy, allow ? *allow : guard::AllowList{});
  check.validation_time = std::chrono::ceil<Micros>(env.monotonic_now() - started);
  check.safety_score = validation.safety_score;
  if (!allow && check.decision.verdict != guard::Verdict::pass) {
    check.decision.reason += " (The project's allow file is not used: " + allow.error().describe() + ".)";
  }
  return check;
}

Result<void> audit_guard_decision(const Env& env, const config::ConfigurationState& state, const Paths& paths,
                                  guard::AuditRecord record) {
  if (!state.history_enabled) return {};
  auto store = history::HistoryStore::open(paths.history_db, pipeline::history_options(state, env));
  if (!store) return fail(store.error());
  return guard::record_decision(*store, record);
}

}  // namespace cmdai::cli
