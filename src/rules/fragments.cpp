#include "rules/fragments.h"

#include "core/shell_quote.h"
#include "rules/names.h"

namespace cmdai::rules {
namespace {

void mark(std::bitset<k_slot_kinds>& used, SlotKind kind) { used.set(static_cast<std::size_t>(kind)); }

std::string name_filter(const Slots& slots, bool prose) {
  const auto& ext = slots.extensions;
  if (prose) {
    std::string out = " named";
    for (std::size_t i = 0; i < ext.size(); ++i) out += (i ? " or *." : " *.") + ext[i];
    return out;
  }
  if (ext.size() == 1) return " -iname " + shell_quote("*." + ext[0]);
  std::string out = " \\(";
  for (std::size_t i = 0; i < ext.size(); ++i) out += (i ? " -o" : "") + (" -iname " + shell_quote("*." + ext[i]));
  return out + " \\)";
}

std::string size_filter(const Slots& slots, bool prose) {
  const bool larger = slots.size_comparison == Slots::Comparison::larger;
  // "zero byte files" are empty ones; "-size +0" would mean the opposite.
  if (slots.size->amount == 0) return prose ? " empty" : " -empty";
  if (prose) return std::string(larger ? " larger than " : " smaller than ") + slots.size->text();
  return std::string(" -size ") + (larger ? '+' : '-') + slots.size->text();
}

std::string age_filter(const Slots& slots, Userland userland, bool prose) {
  const Duration& age = *slots.age;
  const bool older = age.relation == Duration::Relation::older_than;
  if (prose) {
    if (age.spoken == "today") return " changed today";
    return older ? " last changed more than " + age.spoken + " ago" : " changed in the last " + age.spoken;
  }
  if (age.spoken == "today") return userland == Userland::gnu ? " -daystart -mtime 0" : " -mtime -1";
  const char sign = older ? '+' : '-';
  if (age.unit == 'd') return std::string(" -mtime ") + sign + std::to_string(age.amount);
  return std::string(" -mmin ") + sign + std::to_string(age.minutes());
}

// Escapes a literal for a sed basic regular expression or replacement.
std::string sed_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("/\\&.*[]^$").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::optional<std::string> word_after(const Slots& slots, std::initializer_list<std::string_view> anchors,
                                      std::size_t from, std::size_t& at) {
  const auto& words = slots.words;
  for (std::size_t i = from; i + 1 < words.size(); ++i) {
    for (auto a : anchors) {
      if (words[i].lower == a && is_value_word(words[i + 1])) {
        at = i + 1;
        return words[i + 1].raw;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string file_kind(const Slots& slots) {
  if (slots.extensions.empty()) return "regular files";
  std::string out;
  for (const auto& e : slots.extensions) out += (out.empty() ? "." : " or .") + e;
  return out + " files";
}

std::optional<std::string> find_filters(const Slots& slots, Userland userland, bool prose,
                                        std::bitset<k_slot_kinds>& used, FilterNames names) {
  std::string out;
  if (!slots.extensions.empty()) {
    if (names == FilterNames::include) out += name_filter(slots, prose);
    mark(used, SlotKind::extension);
  }
  if (slots.size) {
    out += (prose && !out.empty() ? "," : "") + size_filter(slots, prose);
    mark(used, SlotKind::size);
  }
  if (slots.age) {
    out += (prose && !out.empty() ? "," : "") + age_filter(slots, userland, prose);
    mark(used, SlotKind::age);
  }
  if (out.empty() && names == FilterNames::include) return std::nullopt;
  if (names == FilterNames::omit && prose && !out.empty() && !out.starts_with(",")) out.insert(0, ",");
  return out;
}

std::optional<std::string> sed_substitution(const Slots& slots, bool prose, SlotUsage& usage) {
  std::optional<std::string> from;
  std::optional<std::string> to;
  if (slots.quoted.size() >= 2) {
    from = slots.quoted[0];
    to = slots.quoted[1];
    usage.kinds.set(static_cast<std::size_t>(SlotKind::quoted));
  } else {
    std::size_t from_at = 0;
    std::size_t to_at = 0;
    from = word_after(slots, {"replace", "substitute", "change", "swap"}, 0, from_at);
    if (from) to = word_after(slots, {"with", "by", "to", "for"}, from_at, to_at);
    if (!from || !to) return std::nullopt;
    usage.words.push_back(from_at);
    usage.words.push_back(to_at);
  }
  if (prose) return "every \"" + *from + "\" with \"" + *to + "\"";
  return shell_quote_always("s/" + sed_escape(*from) + "/" + sed_escape(*to) + "/g");
}

}  // namespace cmdai::rules
