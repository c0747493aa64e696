#pragma once
// What may leave this machine for the team server. Every entry passes here
// before upload:
//  - an entry recorded in a team.exclude_dirs directory (or below it), or
//    tagged `private`, stays;
//  - the redaction rules (history/redaction.h) run again over every text
//    field: entries are stored redacted already unless privacy_mode is off,
//    and rules added since an entry was stored apply too;
//  - with privacy_mode = skip, an entry in which they find a secret stays
//    (skip means such entries never leave the machine, even redacted).

#include <string>
#include <string_view>
#include <vector>

#include "history/history_store.h"
#include "history/redaction.h"

namespace cmdai::team {

inline constexpr std::string_view k_private_tag = "private";

struct PushPolicy {
  history::PrivacyMode privacy = history::PrivacyMode::redact;
  std::vector<std::string> exclude_dirs;  // absolute prefixes
};

enum class PushVerdict { push, excluded_directory, private_tag, holds_secret };

struct Outgoing {
  PushVerdict verdict = PushVerdict::push;
  history::HistoryRecord record;  // redacted; meaningful when verdict is push
};

Outgoing prepare_for_push(const history::HistoryRecord& record, const PushPolicy& policy);

// directory is prefix or below it ("/srv/app" is below "/srv", "/srvx" is not).
bool is_below(std::string_view directory, std::string_view prefix);

}  // namespace cmdai::team
