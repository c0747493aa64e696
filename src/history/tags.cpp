// HistoryStore's tags: replace, add, remove, and the favourite mark that is
// the "favorite" tag.

#include <algorithm>

#include "core/entity_json.h"
#include "core/utf8.h"
#include "history/history_store.h"

namespace cmdai::history {
namespace {

constexpr std::size_t k_max_tag_bytes = 100;

// A tag as stored: without surrounding blanks, one line of valid UTF-8.
Result<std::string> clean_tag(std::string_view tag) {
  const auto first = tag.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return fail(ErrorCode::invalid_argument, "a tag cannot be empty", "cmdai history tag ID deploy");
  }
  tag = tag.substr(first, tag.find_last_not_of(" \t") - first + 1);
  const bool control =
      std::any_of(tag.begin(), tag.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (!is_valid_utf8(tag) || control || tag.size() > k_max_tag_bytes) {
    return fail(ErrorCode::invalid_argument, "'" + printable_utf8(tag) + "' is not a tag",
                "a tag is one line of text, at most " + std::to_string(k_max_tag_bytes) + " bytes");
  }
  return std::string(tag);
}

Result<std::vector<std::string>> clean_tags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& tag : tags) {
    auto clean = clean_tag(tag);
    if (!clean) return fail(clean.error());
    if (std::find(out.begin(), out.end(), *clean) == out.end()) out.push_back(std::move(*clean));
  }
  return out;
}

// Reads the entry's tags, applies change to them and the cleaned given
// tags, and stores the result, in one transaction.
template <typename Change>
Result<std::vector<std::string>> change_tags(HistoryStore& owner, const std::string& id,
                                             const std::vector<std::string>& given, Change change) {
  auto clean = clean_tags(given);
  if (!clean) return fail(clean.error());
  auto transaction = store::Transaction::begin(owner.database());
  if (!transaction) return fail(transaction.error());
  auto record = owner.get_record(id);
  if (!record) return fail(record.error());
  if (!*record) return fail(ErrorCode::not_found, "no history entry with id " + id, "see cmdai history list");
  std::vector<std::string> after = change((*record)->entry.tags, *clean);
  CMDAI_TRY(owner.set_tags(id, after));
  CMDAI_TRY(transaction->commit());
  return after;
}

}  // namespace

Result<void> HistoryStore::set_tags(const std::string& id, const std::vector<std::string>& tags) {
  auto clean = clean_tags(tags);
  if (!clean) return fail(clean.error());
  if (m_options.privacy != PrivacyMode::off) {
    for (auto& tag : *clean) tag = redact_secrets(tag).text;
  }
  // The favourite mark follows the tag, in the same statement.
  return update_one(
      "UPDATE command_history SET tags = ?2, favorite = EXISTS(SELECT 1 FROM json_each(?2) WHERE value = '" +
          std::string(k_favorite_tag) + "') WHERE id = ?1",
      id, json_text(nlohmann::json(*clean)));
}

Result<std::vector<std::string>> HistoryStore::add_tags(const std::string& id, const std::vector<std::string>& tags) {
  return change_tags(*this, id, tags, [](std::vector<std::string> current, const std::vector<std::string>& given) {
    for (const auto& tag : given) {
      if (std::find(current.begin(), current.end(), tag) == current.end()) current.push_back(tag);
    }
    return current;
  });
}

Result<std::vector<std::string>> HistoryStore::remove_tags(const std::string& id,
                                                           const std::vector<std::string>& tags) {
  return change_tags(*this, id, tags, [](std::vector<std::string> current, const std::vector<std::string>& given) {
    std::erase_if(current,
                  [&](const std::string& tag) { return std::find(given.begin(), given.end(), tag) != given.end(); });
    return current;
  });
}

Result<void> HistoryStore::set_favorite(const std::string& id, Favorite favorite) {
  const std::vector<std::string> tag{std::string(k_favorite_tag)};
  auto changed = favorite == Favorite::yes ? add_tags(id, tag) : remove_tags(id, tag);
  if (!changed) return fail(changed.error());
  return {};
}

}  // namespace cmdai::history
