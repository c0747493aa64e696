#include "team/push_policy.h"

#include <algorithm>

namespace cmdai::team {

bool is_below(std::string_view directory, std::string_view prefix) {
  while (prefix.size() > 1 && prefix.back() == '/') prefix.remove_suffix(1);
  if (!directory.starts_with(prefix)) return false;
  return directory.size() == prefix.size() || prefix == "/" || directory[prefix.size()] == '/';
}

Outgoing prepare_for_push(const history::HistoryRecord& record, const PushPolicy& policy) {
  Outgoing out;
  const auto& entry = record.entry;
  const auto excluded = [&](const std::string& prefix) { return is_below(entry.working_directory, prefix); };
  if (std::any_of(policy.exclude_dirs.begin(), policy.exclude_dirs.end(), excluded)) {
    out.verdict = PushVerdict::excluded_directory;
    return out;
  }
  if (std::find(entry.tags.begin(), entry.tags.end(), k_private_tag) != entry.tags.end()) {
    out.verdict = PushVerdict::private_tag;
    return out;
  }
  out.record = record;
  const std::size_t secrets = history::redact_entry(out.record.entry);
  if (secrets > 0 && policy.privacy == history::PrivacyMode::skip) {
    out.verdict = PushVerdict::holds_secret;
    out.record = {};
  }
  return out;
}

}  // namespace cmdai::team
