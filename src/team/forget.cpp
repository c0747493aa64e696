#include "team/forget.h"

#include <cctype>

#include "history/history_store.h"
#include "team/server_filters.h"

namespace cmdai::team {
namespace {

bool is_id_text(const std::string& text) {
  if (text.empty() || text.size() > 36) return false;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

// The ids an id prefix can name, as the primary key's range: the prefix's
// hexadecimal digits followed by all zeros, and by all f's.
std::vector<Parameter> id_range(const std::string& prefix) {
  std::string digits;
  for (char c : prefix)
    if (c != '-' && digits.size() < 32) digits += c;
  return {digits + std::string(32 - digits.size(), '0'), digits + std::string(32 - digits.size(), 'f')};
}

}  // namespace

Result<std::string> forget(Connection& connection, const std::string& id_prefix, const Owner& owner) {
  if (!is_id_text(id_prefix)) {
    return fail(ErrorCode::invalid_argument, "'" + id_prefix + "' is not an entry id",
                "give the id (or its first characters) that search --team shows");
  }
  const std::string canonical = history::canonical_id(id_prefix);
  const std::string pattern = like_literal(canonical) + "%";
  const std::vector<Parameter> range = id_range(canonical);
  auto mine = connection.query(
      "SELECT id::text FROM command_history WHERE id BETWEEN $4::uuid AND $5::uuid AND id::text LIKE $1 "
      "AND user_name = $2 AND hostname = $3 LIMIT 2",
      {pattern, owner.user, owner.host, range[0], range[1]});
  if (!mine) return fail(mine.error());
  if (mine->size() > 1) {
    return fail(ErrorCode::invalid_argument, "'" + id_prefix + "' names several of your entries",
                "give more characters of the id");
  }
  if (mine->size() == 0) {
    auto theirs = connection.query(
        "SELECT user_name, hostname FROM command_history WHERE id BETWEEN $2::uuid AND $3::uuid AND id::text LIKE $1 "
        "LIMIT 1",
        {pattern, range[0], range[1]});
    if (!theirs) return fail(theirs.error());
    if (theirs->size() > 0) {
      return fail(ErrorCode::blocked_by_policy,
                  "entry " + id_prefix + " was pushed by " + theirs->text(0, 0) + "@" + theirs->text(0, 1) +
                      ", not by " + owner.user + "@" + owner.host,
                  "only its owner can remove it from the team server");
    }
    return fail(ErrorCode::not_found, "the team server has no entry " + id_prefix, "see cmdai search --team");
  }
  const std::string id = mine->text(0, 0);
  auto removed =
      connection.query("DELETE FROM command_history WHERE id = $1::uuid AND user_name = $2 AND hostname = $3",
                       {id, owner.user, owner.host});
  if (!removed) return fail(removed.error());
  return id;
}

}  // namespace cmdai::team
