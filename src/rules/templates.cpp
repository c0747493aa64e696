#include "rules/templates.h"

#include <algorithm>
#include <cctype>

#include "rules/chmod_check.h"
#include "rules/effect.h"
#include "rules/modifiers.h"
#include "rules/render.h"
#include "rules/slot_passes.h"
#include "rules/slots.h"
#include "rules/typed_command.h"
#include "rules/value_check.h"
#include "rules/vocabulary.h"
#include "rules/words.h"

namespace cmdai::rules {
namespace {

constexpr std::size_t k_max_request_bytes = 4096;

CompiledTemplate compile(const TemplateRow& row) {
  CompiledTemplate t;
  t.row = &row;
  for (std::string_view group : split_list(row.words, ' ')) {
    if (group.starts_with('$')) {
      if (auto kind = parse_slot_kind(group.substr(1))) t.required_slots.push_back(static_cast<std::size_t>(*kind));
    } else if (group.starts_with('?')) {
      for (auto w : split_list(group.substr(1), '|')) t.known.push_back(w);
    } else if (group.starts_with('!')) {
      for (auto w : split_list(group.substr(1), '|')) t.avoided.push_back(w);
    } else {
      auto alternatives = split_list(group, '|');
      t.known.insert(t.known.end(), alternatives.begin(), alternatives.end());
      t.required.push_back(std::move(alternatives));
    }
  }
  return t;
}

bool word_matches(const Word& w, std::string_view pattern) {
  if (pattern.ends_with('*')) {
    const auto stem = pattern.substr(0, pattern.size() - 1);
    return w.canon.starts_with(stem) || w.lower.starts_with(stem);
  }
  return w.canon == pattern || w.lower == pattern;
}

enum class Skip { places, all_values };

// Words that name a place ("folder" in "in this folder") are values, not
// intent: they never satisfy a template. No value a slot took rules one out.
bool any_word(const std::vector<Word>& words, const std::vector<std::string_view>& patterns, Skip skip) {
  return std::any_of(words.begin(), words.end(), [&](const Word& w) {
    if (skip == Skip::places ? w.place : w.consumed) return false;
    return std::any_of(patterns.begin(), patterns.end(), [&](std::string_view p) { return word_matches(w, p); });
  });
}

bool applies(const CompiledTemplate& t, const Slots& slots) {
  for (std::size_t kind : t.required_slots) {
    if (!has_slot(slots, static_cast<SlotKind>(kind))) return false;
  }
  // Each group needs its own word: "biggest" cannot be both "big" and
  // "largest". A word may serve several groups only where the template
  // lists that very word in each ("pull" in "pull|get image|pull").
  std::vector<std::string_view> taken(slots.words.size());
  for (const auto& group : t.required) {
    bool found = false;
    for (std::size_t i = 0; i < slots.words.size() && !found; ++i) {
      const Word& w = slots.words[i];
      if (w.place) continue;
      for (std::string_view p : group) {
        if (!word_matches(w, p) || (!taken[i].empty() && taken[i] != p)) continue;
        taken[i] = p;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return !any_word(slots.words, t.avoided, Skip::all_values);
}

// A value the request names explicitly (a file, an extension, a size, a
// path ...) that the command ignores almost always means the template
// answers another question ("any jpeg over 5 MB" without the jpeg filter):
// such a template is not used; nor is one that drops a count ("the last 20
// commits"). Loose numbers only cost coverage.
bool is_named_value(SlotKind kind) {
  return kind != SlotKind::number && kind != SlotKind::variable && kind != SlotKind::mode;
}

// A word no template knows, left unexplained, says the request is about
// something the library does not cover ("who is the president"): it weighs
// more than a known word the template does not use.
constexpr double k_unknown_word = 1.5;
// A word other templates require ("unpack" in "unpack all zip files here"
// for a template that only lists them) asks for something else: it weighs
// most.
constexpr double k_intent_word = 2.0;

// Every extension the request names is the extension of a file it names.
bool files_have_extensions(const Slots& slots) {
  return std::all_of(slots.extensions.begin(), slots.extensions.end(), [&](const std::string& ext) {
    return std::any_of(slots.files.begin(), slots.files.end(), [&](const std::string& f) {
      std::string lower = f;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return lower.ends_with("." + ext);
    });
  });
}

// Words that link a value to the request ("last" in "the last hour") but
// do not name it.
bool is_quantity_connective(const Word& w) {
  constexpr std::string_view k_connectives[] = {"last", "past", "this", "over", "under",
                                                "more", "less", "top",  "first"};
  return std::find(std::begin(k_connectives), std::end(k_connectives), w.lower) != std::end(k_connectives);
}

// Share of the request the template explains: its content words (not stop
// words, not taken by slots) and the slots present, counted once each.
double coverage(const CompiledTemplate& t, const Slots& slots, const SlotUsage& usage) {
  // A word taken as a free value (a package or container name) explains less
  // than a word the template knows.
  constexpr double k_value_word = 0.8;
  double total = 0;
  double covered = 0;
  for (std::size_t i = 0; i < slots.words.size(); ++i) {
    const Word& w = slots.words[i];
    if (w.stop || w.consumed) continue;
    // A typed option the command carries (checked in ignores_named_value).
    const bool option = is_flag(w.raw);
    const bool variable = option || (slots.variable && w.raw == *slots.variable &&
                                     usage.kinds.test(static_cast<std::size_t>(SlotKind::variable)));
    if (variable || std::any_of(t.known.begin(), t.known.end(), [&](auto p) { return word_matches(w, p); })) {
      covered += 1;
      total += 1;
    } else if (std::find(usage.words.begin(), usage.words.end(), i) != usage.words.end()) {
      covered += k_value_word;
      total += 1;
    } else if (is_intent_word(w.canon) || is_intent_word(w.lower)) {
      total += k_intent_word;
    } else {
      total += is_meaning_word(w.canon) || is_meaning_word(w.lower) ? 1.0 : k_unknown_word;
    }
  }
  for (std::size_t k = 0; k < k_slot_kinds; ++k) {
    const auto kind = static_cast<SlotKind>(k);
    // Names that only fill placeholders do not count against a template;
    // ignored named values rule it out before this (ignores_named_value),
    // or were named by the template's own words.
    if (kind == SlotKind::variable || kind == SlotKind::mode || !has_slot(slots, kind)) continue;
    ++total;
    const bool required = std::find(t.required_slots.begin(), t.required_slots.end(), k) != t.required_slots.end();
    if (usage.kinds.test(k) || required || is_named_value(kind)) ++covered;
  }
  return total == 0 ? 0.0 : covered / total;
}

bool knows(const CompiledTemplate& t, const Word& w) {
  return std::any_of(t.known.begin(), t.known.end(), [&](auto p) { return word_matches(w, p); });
}

// "recursively", "interactively", "numerically": an adverb says how the
// command must run.
bool is_manner(const Word& w) {
  constexpr std::string_view k_not_manner[] = {"assembly",  "family",   "supply",    "anomaly",  "reply",
                                               "nicely",    "properly", "correctly", "simply",   "actually",
                                               "basically", "finally",  "usually",   "possibly", "exactly"};
  return w.lower.size() >= 6 && w.lower.ends_with("ly") &&
         std::find(std::begin(k_not_manner), std::end(k_not_manner), w.lower) == std::end(k_not_manner);
}

bool is_negation(const Word& w) {
  constexpr std::string_view k_negations[] = {"not",   "except", "excluding", "exclude", "without", "never", "non",
                                              "isn't", "don't",  "doesn't",   "aren't",  "dont",    "doesnt"};
  return std::find(std::begin(k_negations), std::end(k_negations), w.lower) != std::end(k_negations);
}

// "npm install lodash and dayjs", "dayjs" read as a slip of "days": a word
// the matcher corrected to a word it knows is a guess. When a template that
// takes names by their place has no use for the guessed word, the word was
// more likely a name it dropped, so the template is no answer. So is one
// that takes no names when the guessed word follows a word of its own, as
// a name follows its verb ("npm install dayjs" is not `npm install`). Stop
// words ("shwo") carry nothing.
bool ignores_corrected_word(const CompiledTemplate& t, const Slots& slots, const SlotUsage& usage) {
  for (std::size_t i = 0; i < slots.words.size(); ++i) {
    const Word& w = slots.words[i];
    if (w.consumed || w.stop || w.place || w.canon == canonical_word(w.lower) || knows(t, w)) continue;
    if (!usage.words.empty()) {
      if (std::find(usage.words.begin(), usage.words.end(), i) == usage.words.end()) return true;
    } else if (i > 0 && !slots.words[i - 1].stop && !slots.words[i - 1].consumed && knows(t, slots.words[i - 1])) {
      return true;
    }
  }
  return false;
}

// A modifier of the request (modifiers.h) the template does not explain
// means it answers another request.
bool ignores_modifier(const CompiledTemplate& t, const Slots& slots, const std::vector<ModifierUse>& uses) {
  return std::any_of(uses.begin(), uses.end(),
                     [&](const ModifierUse& use) { return !explains(t.known, use, slots.words); });
}

// True when the command carries the option the request typed: "--depth=1"
// as written, "-sh" when every letter is among the command's short options
// ("-r" is in "grep -rn").
bool carries_flag(std::string_view command, std::string_view flag) {
  if (flag.starts_with("--")) return command.find(flag) != std::string_view::npos;
  std::string letters;
  std::size_t start = 0;
  while (start < command.size()) {
    const auto end = std::min(command.find(' ', start), command.size());
    const auto token = command.substr(start, end - start);
    if (token.size() > 1 && token[0] == '-' && token[1] != '-') letters += token.substr(1);
    start = end + 1;
  }
  return std::all_of(flag.begin() + 1, flag.end(), [&](char c) { return letters.find(c) != std::string::npos; });
}

// "days" in "90 days": the unit of an amount typed as digits. A template
// that lists the unit ("day") has not used the amount.
bool follows_digits(const Slots& slots, const Word& w) {
  const auto i = static_cast<std::size_t>(&w - slots.words.data());
  if (i == 0) return false;
  const std::string& before = slots.words[i - 1].raw;
  return !before.empty() && std::isdigit(static_cast<unsigned char>(before.front())) != 0;
}

// A word typed as digits or spelled out as a number ("7", "one").
bool is_number(const Word& w) {
  const bool digits = !w.raw.empty() && w.raw.find_first_not_of("0123456789") == std::string::npos;
  return digits || number_word(w.lower).has_value();
}

// True when the request names a value of a kind the rendered command does
// not use. An extension is used when a file the command names has it
// ("the .tgz file site.tgz"); a value word the template lists itself
// ("today", ".bashrc") counts as used.
bool ignores_named_value(const CompiledTemplate& t, const Slots& slots, const SlotUsage& usage,
                         std::string_view command) {
  std::size_t named_values = 0;
  for (const Word& w : slots.words) {
    // An option the user typed ("grep -r ... in ./app") must survive.
    if (!w.consumed && is_flag(w.raw) && !carries_flag(command, w.raw)) return true;
    // So must a manner the user asked for ("interactively", "recursively")
    // and a negation ("not owned by root", "except .git").
    if (!w.consumed && (is_manner(w) || is_negation(w)) && !knows(t, w)) return true;
    if (!w.consumed || w.place || is_quantity_connective(w) || follows_digits(slots, w)) continue;
    // A number is no named value: "one" in "one line each" does not stand
    // for the count of "the last 7 commits" the command dropped.
    if (is_number(w)) continue;
    if (std::any_of(t.known.begin(), t.known.end(), [&](auto p) { return word_matches(w, p); })) ++named_values;
  }
  for (std::size_t k = 0; k < k_slot_kinds; ++k) {
    const auto kind = static_cast<SlotKind>(k);
    if (!is_named_value(kind) || !has_slot(slots, kind) || usage.kinds.test(k)) continue;
    if (std::find(t.required_slots.begin(), t.required_slots.end(), k) != t.required_slots.end()) continue;
    if (kind == SlotKind::extension && usage.kinds.test(static_cast<std::size_t>(SlotKind::file)) &&
        files_have_extensions(slots)) {
      continue;
    }
    if (named_values > 0) {
      --named_values;
      continue;
    }
    return true;
  }
  return false;
}

// "run the npm script build" is not "npm run npm": a word taken as a value
// that the command's pattern already has as its own word names the
// program, not the object. A value the pattern repeats on purpose ("git tag
// -a v1 -m v1") is no such word; nor is a leading sudo, a prefix and not the
// program ("sudo usermod -aG sudo jana").
bool names_itself(const Slots& slots, const SlotUsage& usage, std::string_view pattern) {
  if (pattern.starts_with("sudo ")) pattern.remove_prefix(5);
  auto literal = [&](const std::string& raw) {
    for (std::size_t at = 0; at < pattern.size();) {
      const auto end = std::min(pattern.find(' ', at), pattern.size());
      if (pattern.substr(at, end - at) == raw) return true;
      at = end + 1;
    }
    return false;
  };
  return std::any_of(usage.words.begin(), usage.words.end(),
                     [&](std::size_t i) { return literal(slots.words[i].raw); });
}

std::optional<Match> try_template(const CompiledTemplate& t, const Slots& slots,
                                  const std::vector<ModifierUse>& modifiers, Userland userland, Effect intent) {
  if (!applies(t, slots) || ignores_modifier(t, slots, modifiers)) return std::nullopt;
  const std::string_view pattern = userland == Userland::bsd && !t.row->bsd.empty() ? t.row->bsd : t.row->gnu;
  SlotUsage usage;
  auto command = render_pattern(pattern, slots, userland, RenderMode::shell, usage);
  if (!command || ignores_named_value(t, slots, usage, *command) || names_itself(slots, usage, pattern)) {
    return std::nullopt;
  }
  if (ignores_corrected_word(t, slots, usage)) return std::nullopt;
  // A template that drops, cuts or widens a named value is no answer.
  if (!missing_values(slots, *command).empty()) return std::nullopt;
  // "for the group" is not `go-w`; "remove the sticky bit" is not `+t`.
  if (chmod_contradicts(slots.words, *command)) return std::nullopt;
  // "everything in /srv" is `chmod -R`, not a change of /srv alone.
  if (misses_contents(slots.words, *command)) return std::nullopt;
  // "show" never changes state; "turn on" or "delete" is not answered by a
  // command that only looks.
  if (contradicts(intent, command_effect(*command))) return std::nullopt;
  SlotUsage prose_usage;
  auto explanation = render_pattern(t.row->explanation, slots, userland, RenderMode::prose, prose_usage);
  Match m;
  m.tmpl = &t;
  m.answer = Answer{std::move(*command), explanation.value_or(std::string(t.row->explanation))};
  const std::size_t needs = t.required.size() + t.required_slots.size();
  const double specificity = 0.02 * static_cast<double>(std::min<std::size_t>(needs, 3));
  m.confidence = std::min(0.99, 0.3 + 0.64 * coverage(t, slots, usage) + specificity);
  return m;
}

}  // namespace

std::size_t Library::memory_bytes() const {
  std::size_t bytes = sizeof(Library) + templates.capacity() * sizeof(CompiledTemplate);
  for (const auto& t : templates) {
    bytes += sizeof(TemplateRow) + t.row->id.size() + t.row->category.size() + t.row->words.size() + t.row->gnu.size() +
             t.row->bsd.size() + t.row->explanation.size();
    bytes += t.required.capacity() * sizeof(std::vector<std::string_view>);
    for (const auto& g : t.required) bytes += g.capacity() * sizeof(std::string_view);
    bytes += (t.known.capacity() + t.avoided.capacity()) * sizeof(std::string_view);
    bytes += t.required_slots.capacity() * sizeof(std::size_t);
  }
  return bytes;
}

const Library& template_library() {
  static const Library library = [] {
    Library lib;
    for (auto table : {find_templates(), text_templates(), archive_templates(), disk_templates(), process_templates(),
                       network_templates(), git_templates(), permission_templates(), system_templates(),
                       date_templates(), environment_templates(), container_templates(), package_templates()}) {
      for (const TemplateRow& row : table) lib.templates.push_back(compile(row));
    }
    return lib;
  }();
  return library;
}

namespace {

// Ties go to the template that needs more (it is more specific), then to table order.
bool better(const Match& a, const Match& b) {
  if (a.confidence > b.confidence + 1e-9) return true;
  return a.confidence > b.confidence - 1e-9 && a.tmpl->required.size() + a.tmpl->required_slots.size() >
                                                   b.tmpl->required.size() + b.tmpl->required_slots.size();
}

}  // namespace

std::vector<Match> rank_request(std::string_view request, Userland userland, std::size_t limit) {
  std::vector<Match> ranked;
  if (request.size() > k_max_request_bytes) return ranked;
  const Slots slots = extract_slots(request);
  // With a quote left open, text meant as a value would be read as words.
  if (slots.unbalanced_quote) return ranked;
  const Effect intent = request_intent(slots);
  const auto modifiers = find_modifiers(slots.words);
  for (const CompiledTemplate& t : template_library().templates) {
    auto m = try_template(t, slots, modifiers, userland, intent);
    if (!m) continue;
    auto at = std::find_if(ranked.begin(), ranked.end(), [&](const Match& r) { return better(*m, r); });
    if (static_cast<std::size_t>(at - ranked.begin()) >= limit) continue;
    ranked.insert(at, std::move(*m));
    if (ranked.size() > limit) ranked.pop_back();
  }
  return ranked;
}

// The answer for a request typed as a command: the command itself.
const CompiledTemplate& typed_command_template() {
  static const TemplateRow row{
      "shell.as_typed", "shell", "", "", "", "Runs the command as you typed it; cmdai did not change it."};
  static const CompiledTemplate compiled = compile(row);
  return compiled;
}

std::optional<Match> match_request(std::string_view request, Userland userland, double threshold) {
  if (request.size() > k_max_request_bytes) return std::nullopt;
  auto typed = typed_command(request);
  auto as_typed = [&]() {
    Match m;
    m.tmpl = &typed_command_template();
    m.answer = Answer{std::move(typed->command), std::string(m.tmpl->row->explanation)};
    m.confidence = k_typed_command_confidence;
    return m;
  };
  if (typed && typed->has_values) return as_typed();
  auto ranked = rank_request(request, userland, 1);
  if (!ranked.empty() && ranked.front().confidence >= threshold) return std::move(ranked.front());
  // "pacman install firefox" has a template; "pkill firefox" needs none.
  if (typed) return as_typed();
  return std::nullopt;
}

}  // namespace cmdai::rules
