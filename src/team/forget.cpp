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

}  // namespace

Result<std::string> forget(Connection& connection, const std::string& id_prefix, const Owner& owner) {
  if (!is_id_text(id_prefix)) {
    return fail(ErrorCode::invalid_argument, "'" + id_prefix + "' is not an entry id",
                "give the id (or its first characters) that search --team shows");
  }
  const std::string pattern = like_literal(history::canonical_id(id_prefix)) + "%";
  auto mine = connection.query(
      "SELECT id::text FROM command_history WHERE id::text LIKE $1 AND user_name = $2 AND hostname = $3 LIMIT 2",
      {pattern, owner.user, owner.host});
  if (!mine) return fail(mine.error());
  if (mine->size() > 1) {
    return fail(ErrorCode::invalid_argument, "'" + id_prefix + "' names several of your entries",
                "give more characters of the id");
  }
  if (mine->size() == 0) {
    auto theirs =
        connection.query("SELECT user_name, hostname FROM command_history WHERE id::text LIKE $1 LIMIT 1", {pattern});
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
