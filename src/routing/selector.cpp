#include "routing/selector.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace cmdai::routing {
namespace {

enum class Health { up, unknown, down };

struct Candidate {
  const BackendInstance* instance = nullptr;
  InstanceStats stats;
  int outstanding = 0;
  Health health = Health::unknown;
  std::size_t order = 0;     // position in the registry
  std::size_t position = 0;  // in the fallback chain; chain size: not named there
};

// The first chain entry naming the instance or its type.
std::size_t chain_position(const BackendInstance& instance, const std::vector<std::string>& chain) {
  for (std::size_t k = 0; k < chain.size(); ++k) {
    if (chain[k] == instance.name || chain[k] == to_string(instance.type)) return k;
  }
  return chain.size();
}

Health health_of(const InstanceStats& stats) {
  if (!stats.health) return Health::unknown;
  return stats.health->healthy ? Health::up : Health::down;
}

std::string millis(Micros time) {
  return std::to_string(static_cast<long long>(std::llround(time.count() / 1000.0))) + " ms";
}

std::string down_detail(const Candidate& c, Timestamp now) {
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - c.stats.health->checked_at).count();
  return c.instance->name + " is down (" + c.stats.health->detail + ", checked " +
         std::to_string(std::max<long long>(age, 0)) + " s ago)";
}

// Chain position; healthy before unchecked; measured before unmeasured;
// faster; more successful; local; registry order.
auto rank_key(const Candidate& c) {
  const bool measured = c.stats.window_samples > 0;
  return std::tuple(c.position, c.health, !measured, measured ? c.stats.avg_response_time.count() : 0,
                    -c.stats.success_rate, !c.instance->local, c.order);
}

bool ranks_before(const Candidate& a, const Candidate& b) { return rank_key(a) < rank_key(b); }

bool equally_fast(const Candidate& leader, const Candidate& other) {
  if (other.instance->type != leader.instance->type || other.health != leader.health ||
      other.position != leader.position) {
    return false;
  }
  const bool leader_measured = leader.stats.window_samples > 0;
  if (leader_measured != (other.stats.window_samples > 0)) return false;
  return !leader_measured || other.stats.avg_response_time.count() * 4 <= leader.stats.avg_response_time.count() * 5;
}

// Ranks candidates, then moves the least-loaded of the leader's equals to
// the front (see the header for the policy).
void rank_and_balance(std::vector<Candidate>& candidates) {
  std::sort(candidates.begin(), candidates.end(), ranks_before);
  if (candidates.size() < 2) return;
  std::size_t best = 0;
  for (std::size_t i = 1; i < candidates.size() && equally_fast(candidates[0], candidates[i]); ++i) {
    const auto load = [&](std::size_t k) {
      return std::pair(candidates[k].outstanding, candidates[k].stats.total_requests);
    };
    if (load(i) < load(best)) best = i;
  }
  std::rotate(candidates.begin(), candidates.begin() + static_cast<long>(best),
              candidates.begin() + static_cast<long>(best) + 1);
}

// The instances sorted into what selection needs.
struct Pool {
  std::vector<Candidate> preferred;            // named by the preference, fitting and not down
  std::vector<Candidate> preferred_any;        // named by the preference, whatever their state
  std::vector<Candidate> others;               // fitting and not down
  std::vector<std::string> down;               // "x is down (...)"
  std::vector<std::string> mismatched;         // "x (context 2048 < 4096 tokens)"
  std::vector<std::size_t> skipped_positions;  // chain positions of down or mismatched instances
  bool rules_preferred = false;
  std::string set_aside;  // a preferred instance's cached "down" verdict, not consulted
};

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
  return out;
}

// "; model requirements: skipped a (why), b (why)" or "".
std::string skipped_note(const Pool& pool) {
  return pool.mismatched.empty() ? "" : "; model requirements: skipped " + joined(pool.mismatched);
}

SelectionResult chosen(const Candidate& c, std::string reason) {
  SelectionResult result;
  result.selected_backend = c.instance->type;
  result.instance = c.instance->name;
  result.selection_reason = std::move(reason);
  result.estimated_response_time = c.stats.window_samples > 0 ? c.stats.avg_response_time : Micros{0};
  result.model = c.instance->model;
  result.model_reason = c.instance->model_reason;
  return result;
}

void append_chain(SelectionResult& result, const std::vector<Candidate>& candidates, std::size_t from) {
  for (std::size_t i = from; i < candidates.size(); ++i) result.fallback_chain.push_back(candidates[i].instance->name);
}

Pool build_pool(const Registry& registry, const PerformanceMonitor& monitor, const SelectionCriteria& criteria,
                const std::vector<const BackendInstance*>& preferred, Timestamp now) {
  Pool pool;
  const auto& instances = registry.instances();
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const BackendInstance& instance = instances[i];
    const bool is_preferred = std::find(preferred.begin(), preferred.end(), &instance) != preferred.end();
    if (instance.type == BackendType::rules) {
      pool.rules_preferred = pool.rules_preferred || is_preferred;
      continue;
    }
    const std::string key = metrics_key(instance);
    Candidate c{&instance,
                monitor.stats(key),
                monitor.outstanding(key),
                Health::unknown,
                i,
                chain_position(instance, criteria.chain_order)};
    c.health = health_of(c.stats);
    if (is_preferred && c.health == Health::down && criteria.preferred_health == PreferredHealth::ignore_cache) {
      pool.set_aside = down_detail(c, now);
      c.health = Health::unknown;
    }
    if (is_preferred) pool.preferred_any.push_back(c);
    if (c.health == Health::down) {
      pool.down.push_back(down_detail(c, now));
      pool.skipped_positions.push_back(c.position);
      continue;
    }
    if (auto why = requirement_mismatch(instance, c.stats, criteria); !why.empty()) {
      pool.mismatched.push_back(instance.name + " (" + why + ")");
      pool.skipped_positions.push_back(c.position);
      continue;
    }
    (is_preferred ? pool.preferred : pool.others).push_back(std::move(c));
  }
  rank_and_balance(pool.preferred);
  rank_and_balance(pool.others);
  return pool;
}

// " of chain position 2 (ollama)", " after every chain entry", or "" without a chain.
std::string position_words(const Candidate& c, const std::vector<std::string>& chain) {
  if (chain.empty()) return "";
  if (c.position >= chain.size()) return " after every fallback chain entry";
  return " of fallback chain position " + std::to_string(c.position + 1) + " (" + chain[c.position] + ")";
}

std::string performance_reason(const Candidate& c, std::size_t equals, const std::vector<std::string>& chain) {
  const std::string perf = describe_performance(c.stats);
  const std::string where = position_words(c, chain);
  if (c.stats.window_samples == 0) {
    return "performance: " + c.instance->name + " is the first " +
           (c.health == Health::up ? "healthy" : "not yet checked") + " instance" + where + " (" + perf + ")";
  }
  std::string reason =
      "performance: " + c.instance->name + " is the fastest healthy instance" + where + " (" + perf + ")";
  if (equals > 1) reason += ", least loaded of " + std::to_string(equals) + " equally fast";
  return reason;
}

// "fallback: chain entries llama, ollama have nothing healthy and fitting; "
// when the chosen instance sits behind chain entries whose instances were
// all down or did not fit; "" otherwise.
std::string earlier_positions_note(const Pool& pool, const Candidate& chosen, const std::vector<std::string>& chain) {
  std::vector<std::string> entries;
  for (std::size_t k = 0; k < chosen.position && k < chain.size(); ++k) {
    if (std::find(pool.skipped_positions.begin(), pool.skipped_positions.end(), k) != pool.skipped_positions.end())
      entries.push_back(chain[k]);
  }
  if (entries.empty()) return "";
  return "fallback: chain " + std::string(entries.size() == 1 ? "entry " : "entries ") + joined(entries) +
         (entries.size() == 1 ? " has" : " have") + " nothing healthy and fitting; ";
}

std::size_t count_equals(const std::vector<Candidate>& ranked) {
  std::size_t n = ranked.empty() ? 0 : 1;
  for (std::size_t i = 1; i < ranked.size(); ++i) n += equally_fast(ranked[0], ranked[i]) ? 1 : 0;
  return n;
}

}  // namespace

std::string describe_performance(const InstanceStats& stats) {
  if (stats.window_samples == 0) return "not measured yet";
  return "avg " + millis(stats.avg_response_time) + ", p95 " + millis(stats.p95_response_time) + ", " +
         std::to_string(static_cast<int>(std::lround(stats.success_rate * 100))) + "% success";
}

OfferedModel offered_model(const BackendInstance& instance, const InstanceStats& stats) {
  OfferedModel offered{instance.context_length, instance.context_length > 0 ? "configured" : "", instance.capabilities,
                       instance.model_family};
  if (!stats.reported_model) return offered;
  const ReportedModel& reported = *stats.reported_model;
  if (reported.context_length > 0) {
    offered.context_length = reported.context_length;
    offered.context_source = "reported by " + reported.source;
  }
  for (const auto& capability : reported.capabilities) {
    if (std::find(offered.capabilities.begin(), offered.capabilities.end(), capability) == offered.capabilities.end())
      offered.capabilities.push_back(capability);
  }
  if (!reported.model_family.empty()) offered.model_family = reported.model_family;
  return offered;
}

namespace {

std::string model_mismatch(const OfferedModel& offered, const SelectionCriteria& criteria) {
  if (criteria.min_context_length > 0 && offered.context_length > 0 &&
      offered.context_length < criteria.min_context_length) {
    return "context " + std::to_string(offered.context_length) + " < " + std::to_string(criteria.min_context_length) +
           " tokens, " + offered.context_source;
  }
  if (!offered.capabilities.empty()) {
    for (const auto& wanted : criteria.capabilities) {
      if (std::find(offered.capabilities.begin(), offered.capabilities.end(), wanted) == offered.capabilities.end())
        return "no " + wanted + " capability (has " + joined(offered.capabilities) + ")";
    }
  }
  if (!criteria.model_family.empty() && !offered.model_family.empty() && offered.model_family != criteria.model_family)
    return "model family " + offered.model_family + ", not " + criteria.model_family;
  return {};
}

}  // namespace

std::string requirement_mismatch(const BackendInstance& instance, const InstanceStats& stats,
                                 const SelectionCriteria& criteria) {
  if (criteria.require_local && !instance.local) return "remote, and local was required";
  if (auto why = model_mismatch(offered_model(instance, stats), criteria); !why.empty()) return why;
  if (criteria.max_response_time && stats.window_samples > 0 && stats.avg_response_time > *criteria.max_response_time) {
    return "avg " + millis(stats.avg_response_time) + " > limit " + millis(*criteria.max_response_time);
  }
  return {};
}

}  // namespace cmdai::routing

namespace cmdai::routing {

Result<SelectionResult> BackendSelector::select(const SelectionCriteria& criteria, Timestamp now) const {
  const bool automatic = !criteria.preferred || *criteria.preferred == "auto";
  std::vector<const BackendInstance*> preferred;
  if (!automatic) {
    auto resolved = m_registry.resolve(*criteria.preferred);
    if (!resolved) return fail(resolved.error());
    preferred = std::move(*resolved);
  }
  Pool pool = build_pool(m_registry, m_monitor, criteria, preferred, now);
  const bool fallback = criteria.fallback == FallbackPolicy::allowed;
  const BackendInstance* rules_instance = m_registry.find("rules");
  const Candidate rules{rules_instance, m_monitor.stats(metrics_key(*rules_instance)), 0, Health::up, 0};
  SelectionResult result;
  if (pool.rules_preferred) {
    result = chosen(rules, "preference: rules was requested");
    return result;
  }
  if (!pool.preferred.empty()) {
    std::string reason =
        "preference: " + *criteria.preferred + " was requested (" + describe_performance(pool.preferred[0].stats) + ")";
    if (!pool.set_aside.empty()) reason += "; tried as given although " + pool.set_aside;
    result = chosen(pool.preferred[0], reason);
    if (!fallback) return result;
    append_chain(result, pool.preferred, 1);
  } else if (!automatic && !fallback) {
    std::sort(pool.preferred_any.begin(), pool.preferred_any.end(), ranks_before);
    std::vector<std::string> why = pool.down;
    why.insert(why.end(), pool.mismatched.begin(), pool.mismatched.end());
    return chosen(pool.preferred_any[0],
                  "preference: " + *criteria.preferred + " was requested and fallback is off (" + joined(why) + ")");
  } else if (!pool.others.empty()) {
    const Candidate& best = pool.others[0];
    std::string reason = performance_reason(best, count_equals(pool.others), criteria.chain_order);
    if (automatic) reason = earlier_positions_note(pool, best, criteria.chain_order) + reason;
    if (!automatic) reason = "fallback: " + *criteria.preferred + " is down or does not fit; " + reason;
    if (!pool.down.empty()) reason += "; " + joined(pool.down);
    result = chosen(best, reason + skipped_note(pool));
    if (!fallback) return result;
    append_chain(result, pool.others, 1);
    pool.others.clear();
  } else {
    std::string reason = "fallback: no model backend is healthy and fitting";
    if (!pool.down.empty()) reason += "; " + joined(pool.down);
    return chosen(rules, reason + skipped_note(pool) + "; using the offline rules");
  }
  append_chain(result, pool.others, 0);
  result.fallback_chain.push_back("rules");
  return result;
}

}  // namespace cmdai::routing
