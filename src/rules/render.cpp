#include "rules/render.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "core/shell_quote.h"
#include "rules/fragments.h"
#include "rules/names.h"
#include "rules/typed_command.h"

namespace cmdai::rules {
namespace {

constexpr std::array<std::string_view, k_slot_kinds> k_kind_names{
    "size", "age",   "ext",    "path", "file", "url", "host",   "remote", "quoted",
    "port", "count", "number", "mode", "date", "var", "assign", "tz"};

struct Context {
  const Slots& slots;
  Userland userland;
  RenderMode mode;
  SlotUsage& usage;
  bool force_quotes = false;  // the alternative started with a quote mark
};

std::string quoted(const Context& c, std::string_view text) {
  return c.force_quotes ? shell_quote_always(text) : shell_quote(text);
}

std::string value(const Context& c, std::string_view text, SlotKind kind) {
  c.usage.kinds.set(static_cast<std::size_t>(kind));
  if (c.mode == RenderMode::prose) return std::string(text);
  // A name that starts with a dash would be read as an option: "./--force.md"
  // is the same file and never one.
  if ((kind == SlotKind::file || kind == SlotKind::path) && text.starts_with('-')) {
    return shell_quote("./" + std::string(text));
  }
  if (kind == SlotKind::quoted) return shell_quote_always(text);
  return kind == SlotKind::path ? shell_quote_path(text) : quoted(c, text);
}

std::string number(const Context& c, long n, SlotKind kind) {
  c.usage.kinds.set(static_cast<std::size_t>(kind));
  return std::to_string(n);
}

// "packages that can be upgraded": past "that" or "can" comes what the
// thing does, not its name.
bool is_number_text(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

bool is_clause_word(const Word& w) {
  constexpr std::string_view k_clause[] = {"that", "which", "who",  "can",  "could", "be",     "is",
                                           "are",  "was",   "were", "will", "would", "should", "whose"};
  return std::find(std::begin(k_clause), std::end(k_clause), w.lower) != std::end(k_clause);
}

// The request word next to one of `anchors` ("after:kill" in "kill all
// chrome processes" is "chrome"), skipping stop words, anchors and words
// other slots took. Anchors are tried in the order given.
std::optional<std::string> neighbour(const Context& c, std::string_view anchors, int step) {
  const auto& words = c.slots.words;
  auto is_anchor = [&](const Word& w, std::string_view a) { return w.canon == a || w.lower == a; };
  auto any_anchor = [&](const Word& w) {
    for (std::size_t s = 0; s <= anchors.size();) {
      const auto e = std::min(anchors.find(',', s), anchors.size());
      if (is_anchor(w, anchors.substr(s, e - s))) return true;
      s = e + 1;
    }
    return false;
  };
  for (std::size_t start = 0; start <= anchors.size();) {
    const auto end = std::min(anchors.find(',', start), anchors.size());
    const std::string_view anchor = anchors.substr(start, end - start);
    start = end + 1;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (!is_anchor(words[i], anchor)) continue;
      const long j = static_cast<long>(i) + step;
      long k = j;
      while (k >= 0 && k < static_cast<long>(words.size()) && !is_clause_word(words[static_cast<std::size_t>(k)]) &&
             (words[static_cast<std::size_t>(k)].stop || any_anchor(words[static_cast<std::size_t>(k)]) ||
              is_flag(words[static_cast<std::size_t>(k)].raw))) {
        k += step;
      }
      if (k < 0 || k >= static_cast<long>(words.size())) continue;
      const Word& w = words[static_cast<std::size_t>(k)];
      // A typed option ("-r" in "grep -r TODO") is never a value, nor is a
      // word of the request's own phrasing ("pull the latest image" names
      // no image called "latest").
      // A pattern may be a number the request typed ("lines that contain
      // 404"): the value check still holds the command to it.
      const bool number_pattern = c.force_quotes && is_number_text(w.raw);
      // One word of the request fills one slot: "remove anna from group
      // docker" never becomes "gpasswd -d anna anna".
      const bool taken =
          std::find(c.usage.words.begin(), c.usage.words.end(), static_cast<std::size_t>(k)) != c.usage.words.end();
      if ((w.consumed && !number_pattern) || taken || is_flag(w.raw) || (!number_pattern && !is_value_word(w))) {
        continue;
      }
      c.usage.words.push_back(static_cast<std::size_t>(k));
      if (c.mode == RenderMode::prose) return w.raw;
      return w.raw.starts_with('~') && !c.force_quotes ? shell_quote_path(w.raw) : quoted(c, w.raw);
    }
  }
  return std::nullopt;
}

std::optional<std::string> joined_files(const Context& c) {
  if (c.slots.files.empty()) return std::nullopt;
  std::string out;
  for (const auto& f : c.slots.files) out += (out.empty() ? "" : " ") + value(c, f, SlotKind::file);
  return out;
}

std::string glob(const Context& c, const std::string& pattern, SlotKind kind) {
  c.usage.kinds.set(static_cast<std::size_t>(kind));
  return c.mode == RenderMode::prose ? pattern : shell_quote_always(pattern);
}

// "files starting with log" -> 'log*'.
std::optional<std::string> prefix_glob(const Context& c) {
  Context prose = c;
  prose.mode = RenderMode::prose;
  auto start = c.slots.quoted.empty() ? neighbour(prose, "with,starting,beginning,prefix", 1)
                                      : std::optional<std::string>(c.slots.quoted[0]);
  if (!start) return std::nullopt;
  return glob(c, *start + "*", SlotKind::quoted);
}

bool ends_with_any(const std::string& name, std::string_view suffixes) {
  std::string lower = name;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::size_t start = 0;
  while (start < suffixes.size()) {
    const auto end = std::min(suffixes.find(',', start), suffixes.size());
    if (lower.ends_with(suffixes.substr(start, end - start))) return true;
    start = end + 1;
  }
  return false;
}

// Every file whose name does not end with one of the suffixes.
std::optional<std::string> files_without(const Context& c, std::string_view suffixes) {
  std::string out;
  for (const auto& f : c.slots.files) {
    if (!ends_with_any(f, suffixes)) out += (out.empty() ? "" : " ") + value(c, f, SlotKind::file);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// The first file whose name ends (or does not end) with one of the suffixes.
std::optional<std::string> file_with(const Context& c, std::string_view suffixes, bool wanted) {
  for (const auto& f : c.slots.files) {
    if (ends_with_any(f, suffixes) == wanted) return value(c, f, SlotKind::file);
  }
  return std::nullopt;
}

// What an archive is made of: a path, or the word after "compress", "zip" ...
std::optional<std::string> archive_target(const Context& c, bool raw) {
  if (!c.slots.paths.empty()) {
    if (raw) return c.slots.paths[0];
    return value(c, c.slots.paths[0], SlotKind::path);
  }
  Context prose = c;
  prose.mode = raw ? RenderMode::prose : c.mode;
  return neighbour(prose, "compress,tar,zip,gzip,of,up,backup", 1);
}

// "photos.tar.gz" from "./photos/"; "archive.tar.gz" from "." or "~".
std::optional<std::string> archive_name(const Context& c, std::string_view suffix) {
  SlotUsage ignored;
  Context quiet{c.slots, c.userland, RenderMode::prose, ignored};
  auto target = archive_target(quiet, true);
  if (!target) return std::nullopt;
  std::string name = *target;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  const auto slash = name.find_last_of('/');
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  if (base.empty() || base == "." || base == ".." || base == "~") base = "archive";
  const std::string file = base + std::string(suffix);
  return c.mode == RenderMode::prose ? file : shell_quote_always(file);
}

std::optional<std::string> record_type(const Context& c) {
  constexpr std::string_view k_types[] = {"mx", "txt", "ns", "cname", "aaaa", "soa", "caa", "a", "srv", "ptr"};
  for (const Word& w : c.slots.words) {
    for (auto type : k_types) {
      if (w.lower != type) continue;
      std::string upper(type);
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return upper;
    }
  }
  return std::nullopt;
}

// "admin@web1", or "web1" with the user named after "as".
std::optional<std::string> user_at_host(const Context& c) {
  if (!c.slots.host) return std::nullopt;
  const std::string& host = *c.slots.host;
  c.usage.kinds.set(static_cast<std::size_t>(SlotKind::host));
  if (host.find('@') == std::string::npos) {
    SlotUsage& usage = c.usage;
    Context prose{c.slots, c.userland, RenderMode::prose, usage};
    if (auto user = neighbour(prose, "as,user", 1)) {
      const std::string joined = *user + "@" + host;
      return c.mode == RenderMode::prose ? joined : shell_quote(joined);
    }
  }
  return c.mode == RenderMode::prose ? host : shell_quote(host);
}

// Time zones of cities people ask about by name.
std::optional<std::string> city_zone(const Context& c) {
  constexpr std::pair<std::string_view, std::string_view> k_cities[] = {
      {"tokyo", "Asia/Tokyo"},
      {"london", "Europe/London"},
      {"paris", "Europe/Paris"},
      {"berlin", "Europe/Berlin"},
      {"madrid", "Europe/Madrid"},
      {"rome", "Europe/Rome"},
      {"moscow", "Europe/Moscow"},
      {"sydney", "Australia/Sydney"},
      {"singapore", "Asia/Singapore"},
      {"dubai", "Asia/Dubai"},
      {"shanghai", "Asia/Shanghai"},
      {"beijing", "Asia/Shanghai"},
      {"seoul", "Asia/Seoul"},
      {"mumbai", "Asia/Kolkata"},
      {"delhi", "Asia/Kolkata"},
      {"india", "Asia/Kolkata"},
      {"chicago", "America/Chicago"},
      {"denver", "America/Denver"},
      {"toronto", "America/Toronto"},
      {"california", "America/Los_Angeles"},
      {"seattle", "America/Los_Angeles"},
      {"york", "America/New_York"},
      {"angeles", "America/Los_Angeles"},
      {"francisco", "America/Los_Angeles"},
      {"amsterdam", "Europe/Amsterdam"},
      {"zurich", "Europe/Zurich"},
      {"brazil", "America/Sao_Paulo"},
      {"japan", "Asia/Tokyo"},
      {"utc", "UTC"},
  };
  for (std::size_t i = 0; i < c.slots.words.size(); ++i) {
    for (const auto& [city, zone] : k_cities) {
      if (c.slots.words[i].lower != city) continue;
      c.usage.words.push_back(i);
      // "in tokyo" reads like a directory too: the city explains that path.
      if (c.slots.words[i].place) c.usage.kinds.set(static_cast<std::size_t>(SlotKind::path));
      return std::string(zone);
    }
  }
  return std::nullopt;
}

// A development tool the request names, as its program is called
// ("python" runs as python3).
std::optional<std::string> tool_program(const Context& c) {
  constexpr std::pair<std::string_view, std::string_view> k_tools[] = {
      {"python", "python3"}, {"python3", "python3"}, {"node", "node"},   {"nodejs", "node"}, {"go", "go"},
      {"rustc", "rustc"},    {"java", "java"},       {"gcc", "gcc"},     {"bash", "bash"},   {"ruby", "ruby"},
      {"perl", "perl"},      {"php", "php"},         {"npm", "npm"},     {"pip", "pip"},     {"git", "git"},
      {"docker", "docker"},  {"make", "make"},       {"cmake", "cmake"},
  };
  for (std::size_t i = 0; i < c.slots.words.size(); ++i) {
    for (const auto& [word, program] : k_tools) {
      if (c.slots.words[i].lower != word || c.slots.words[i].consumed) continue;
      c.usage.words.push_back(i);
      return std::string(program);
    }
  }
  return std::nullopt;
}

// A path for use inside double quotes: "~" becomes $HOME, and the
// characters still special there ($ ` " \) are escaped.
std::string double_quoted_path(const Context& c, const std::string& path) {
  c.usage.kinds.set(static_cast<std::size_t>(SlotKind::path));
  if (c.mode == RenderMode::prose) return path;
  std::string rest = path;
  std::string out;
  if (rest == "~" || rest.starts_with("~/")) {
    out = "$HOME";
    rest = rest.substr(1);
  }
  for (char ch : rest) {
    if (ch == '$' || ch == '`' || ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

// NAME=value with only the value quoted, so "GOPATH=~/go" keeps its "~".
std::string assignment(const Context& c, const std::string& text) {
  c.usage.kinds.set(static_cast<std::size_t>(SlotKind::assignment));
  if (c.mode == RenderMode::prose) return text;
  const auto eq = text.find('=');
  return text.substr(0, eq + 1) + shell_quote_path(text.substr(eq + 1));
}

std::optional<std::string> from_age(const Context& c, std::string_view name) {
  const auto& age = c.slots.age;
  if (!age) return std::nullopt;
  c.usage.kinds.set(static_cast<std::size_t>(SlotKind::age));
  const bool named = age->spoken == "yesterday" || age->spoken == "today";
  std::string text;
  if (name == "since") text = named ? age->spoken : age->spoken + " ago";
  if (name == "ahead" && !named) text = "+" + age->spoken;
  if (name == "days") return std::to_string(age->unit == 'd' ? age->amount : std::max(1L, age->minutes() / 1440));
  if (name == "minutes") return std::to_string(age->minutes());
  if (text.empty()) return std::nullopt;
  return c.mode == RenderMode::prose ? text : quoted(c, text);
}

std::optional<std::string> indexed(const Context& c, const std::vector<std::string>& list, std::size_t i,
                                   SlotKind kind) {
  if (list.size() <= i) return std::nullopt;
  return value(c, list[i], kind);
}

std::optional<std::string> optional_value(const Context& c, const std::optional<std::string>& v, SlotKind kind) {
  if (!v) return std::nullopt;
  return value(c, *v, kind);
}

std::optional<std::string> resolve(const Context& c, std::string_view alt) {
  const Slots& s = c.slots;
  if (alt.starts_with("after:")) return neighbour(c, alt.substr(6), 1);
  if (alt.starts_with("before:")) return neighbour(c, alt.substr(7), -1);
  if (alt == "path") return indexed(c, s.paths, 0, SlotKind::path);
  if (alt == "path2") return indexed(c, s.paths, 1, SlotKind::path);
  if (alt == "file") return indexed(c, s.files, 0, SlotKind::file);
  if (alt == "file2") return indexed(c, s.files, 1, SlotKind::file);
  if (alt == "files") return joined_files(c);
  if (alt == "quoted") return indexed(c, s.quoted, 0, SlotKind::quoted);
  if (alt == "quoted2") return indexed(c, s.quoted, 1, SlotKind::quoted);
  if (alt == "ext") return indexed(c, s.extensions, 0, SlotKind::extension);
  if (alt == "url") return optional_value(c, s.url, SlotKind::url);
  if (alt == "host") return optional_value(c, s.host, SlotKind::host);
  if (alt == "remote") return optional_value(c, s.remote, SlotKind::remote);
  if (alt == "mode") return optional_value(c, s.mode, SlotKind::mode);
  if (alt == "date") return optional_value(c, s.date, SlotKind::date);
  if (alt == "var") return optional_value(c, s.variable, SlotKind::variable);
  if (alt == "assign" && s.assignment) return assignment(c, *s.assignment);
  if (alt == "tz") return optional_value(c, s.time_zone, SlotKind::time_zone);
  if (alt == "port" && s.port) return number(c, *s.port, SlotKind::port);
  if (alt == "count" && s.count) return number(c, *s.count, SlotKind::count);
  if (alt == "n1" && !s.numbers.empty()) return number(c, s.numbers[0], SlotKind::number);
  if (alt == "n2" && s.numbers.size() > 1) return number(c, s.numbers[1], SlotKind::number);
  if (alt == "count1" && s.count) return number(c, *s.count + 1, SlotKind::count);
  if (alt == "since_option" && s.age) {
    auto since = from_age(c, "since");
    return c.mode == RenderMode::prose ? " since " + *since : "--since=" + *since + " ";
  }
  if (alt == "since_prose" && s.age) return " since " + *from_age(c, "since");
  if (alt == "since" || alt == "ahead" || alt == "days" || alt == "minutes") return from_age(c, alt);
  if (alt == "glob" && !s.extensions.empty()) return glob(c, "*." + s.extensions[0], SlotKind::extension);
  if (alt == "size" && s.size) {
    c.usage.kinds.set(static_cast<std::size_t>(SlotKind::size));
    return s.size->unit == 'c' ? s.size->text().substr(0, s.size->text().size() - 1) : s.size->text();
  }
  if (alt.starts_with("file_ext:")) return file_with(c, alt.substr(9), true);
  if (alt.starts_with("file_not:")) return file_with(c, alt.substr(9), false);
  if (alt.starts_with("files_not:")) return files_without(c, alt.substr(10));
  if (alt.starts_with("archive:")) return archive_name(c, alt.substr(8));
  if (alt == "script" && !s.files.empty()) {
    const std::string& f = s.files[0];
    return value(c, f.find('/') == std::string::npos && c.mode == RenderMode::shell ? "./" + f : f, SlotKind::file);
  }
  if (alt == "script" && !s.paths.empty()) return value(c, s.paths[0], SlotKind::path);
  if (alt == "record_type") return record_type(c);
  if (alt == "user_at_host") return user_at_host(c);
  if (alt == "dq_path" && !s.paths.empty()) return double_quoted_path(c, s.paths[0]);
  if (alt == "city") return city_zone(c);
  if (alt == "tool") return tool_program(c);
  if (alt == "target") return archive_target(c, false);
  if (alt == "prefix_glob") return prefix_glob(c);
  if (alt == "file_kind") return file_kind(s);
  if (alt == "filters_unnamed") {
    return find_filters(s, c.userland, c.mode == RenderMode::prose, c.usage.kinds, FilterNames::omit);
  }
  if (alt == "filters") return find_filters(s, c.userland, c.mode == RenderMode::prose, c.usage.kinds);
  if (alt == "sub") return sed_substitution(s, c.mode == RenderMode::prose, c.usage);
  return std::nullopt;
}

std::optional<std::string> fill(const Context& c, std::string_view spec) {
  std::size_t start = 0;
  while (start <= spec.size()) {
    const auto end = std::min(spec.find('|', start), spec.size());
    const std::string_view alt = spec.substr(start, end - start);
    if (alt == "?") return std::string();
    if (alt.starts_with('=')) return std::string(alt.substr(1));
    Context quoted_context = c;
    quoted_context.force_quotes = alt.starts_with('\'');
    if (auto v = resolve(quoted_context, quoted_context.force_quotes ? alt.substr(1) : alt)) return v;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

bool is_placeholder_alternative(std::string_view alt) {
  if (alt.starts_with('\'')) alt.remove_prefix(1);
  constexpr std::string_view k_prefixes[] = {
      "after:", "before:", "file_ext:", "file_not:", "files_not:", "archive:", "="};
  for (auto prefix : k_prefixes) {
    if (alt.starts_with(prefix) && alt.size() > prefix.size()) return true;
  }
  constexpr std::string_view k_names[] = {
      "?",       "path",    "path2",        "file",        "file2",       "files",        "quoted",
      "quoted2", "ext",     "url",          "host",        "remote",      "mode",         "date",
      "var",     "assign",  "tz",           "port",        "count",       "n1",           "n2",
      "count1",  "since",   "ahead",        "days",        "minutes",     "filters",      "sub",
      "glob",    "size",    "prefix_glob",  "script",      "record_type", "user_at_host", "city",
      "tool",    "dq_path", "since_option", "since_prose", "target",      "file_kind",    "filters_unnamed"};
  return std::find(std::begin(k_names), std::end(k_names), alt) != std::end(k_names);
}

std::optional<SlotKind> parse_slot_kind(std::string_view name) {
  for (std::size_t i = 0; i < k_kind_names.size(); ++i) {
    if (k_kind_names[i] == name) return static_cast<SlotKind>(i);
  }
  return std::nullopt;
}

bool has_slot(const Slots& s, SlotKind kind) {
  switch (kind) {
    case SlotKind::size: return s.size.has_value();
    case SlotKind::age: return s.age.has_value();
    case SlotKind::extension: return !s.extensions.empty();
    case SlotKind::path: return !s.paths.empty();
    case SlotKind::file: return !s.files.empty();
    case SlotKind::url: return s.url.has_value();
    case SlotKind::host: return s.host.has_value();
    case SlotKind::remote: return s.remote.has_value();
    case SlotKind::quoted: return !s.quoted.empty();
    case SlotKind::port: return s.port.has_value();
    case SlotKind::count: return s.count.has_value();
    case SlotKind::number: return !s.numbers.empty();
    case SlotKind::mode: return s.mode.has_value();
    case SlotKind::date: return s.date.has_value();
    case SlotKind::variable: return s.variable.has_value();
    case SlotKind::assignment: return s.assignment.has_value();
    case SlotKind::time_zone: return s.time_zone.has_value();
  }
  return false;
}

std::optional<std::string> render_pattern(std::string_view pattern, const Slots& slots, Userland userland,
                                          RenderMode mode, SlotUsage& usage) {
  const Context c{slots, userland, mode, usage};
  std::vector<std::pair<std::string_view, std::string>> earlier;  // placeholders filled so far
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    const auto open = pattern.find("%{", i);
    if (open == std::string_view::npos) break;
    const auto close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    if (open > 0 && pattern[open - 1] == '%') {  // "%%{" is a literal "%{"
      out += pattern.substr(i, open - 1 - i);
      out += "%{";
      i = open + 2;
      continue;
    }
    out += pattern.substr(i, open - i);
    const std::string_view spec = pattern.substr(open + 2, close - open - 2);
    // A placeholder written twice ("git tag -a %{X} -m %{X}") repeats one
    // value; only a different placeholder must take a different word.
    const auto same = std::find_if(earlier.begin(), earlier.end(), [&](const auto& e) { return e.first == spec; });
    auto filled = same != earlier.end() ? std::optional<std::string>(same->second) : fill(c, spec);
    if (!filled) return std::nullopt;
    earlier.emplace_back(spec, *filled);
    out += *filled;
    i = close + 1;
  }
  out += pattern.substr(i);
  while (!out.empty() && out.back() == ' ') out.pop_back();  // an empty optional at the end
  return out;
}

}  // namespace cmdai::rules
