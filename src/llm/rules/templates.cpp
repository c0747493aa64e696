#include "llm/rules/templates.h"

#include <algorithm>

namespace cmdai::llm::rules {
namespace {

// Single-quotes a value for the shell.
std::string quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string path_or_default(const Slots& slots, std::string_view fallback = ".") {
  return slots.path ? *slots.path : std::string(fallback);
}

std::string name_filter(const Slots& slots) {
  if (slots.extensions.empty()) return {};
  if (slots.extensions.size() == 1) return " -iname " + quote("*." + slots.extensions[0]);
  std::string out = " \\(";
  for (std::size_t i = 0; i < slots.extensions.size(); ++i) {
    out += (i ? " -o" : "") + std::string(" -iname ") + quote("*." + slots.extensions[i]);
  }
  return out + " \\)";
}

std::string size_filter(const Slots& slots) {
  if (!slots.size) return {};
  const char sign = slots.size_comparison == Slots::Comparison::larger ? '+' : '-';
  return std::string(" -size ") + sign + slots.size->text();
}

std::string age_filter(const Slots& slots) {
  if (!slots.age) return {};
  const char sign = slots.age->relation == Duration::Relation::older_than ? '+' : '-';
  if (slots.age->unit == 'd') {
    if (slots.age->amount == 0) return " -daystart -mtime 0";
    return std::string(" -mtime ") + sign + std::to_string(slots.age->amount);
  }
  const long minutes = slots.age->unit == 'h' ? slots.age->amount * 60 : slots.age->amount;
  return std::string(" -mmin ") + sign + std::to_string(minutes);
}

std::string describe_find(const Slots& slots) {
  std::string what = slots.extensions.empty() ? "files" : "." + slots.extensions[0] + " files";
  std::string out = "Finds " + what + " under " + path_or_default(slots);
  if (slots.size) {
    out += std::string(slots.size_comparison == Slots::Comparison::larger ? " larger" : " smaller") + " than " +
           slots.size->text() + " (find's units: k, M, G are binary)";
  }
  if (slots.age) {
    out += slots.age->relation == Duration::Relation::older_than ? ", last modified more than "
                                                                 : ", modified within the last ";
    out += std::to_string(slots.age->amount) + (slots.age->unit == 'd'   ? " day(s)"
                                                : slots.age->unit == 'h' ? " hour(s)"
                                                                         : " minute(s)");
  }
  return out + "; -type f keeps regular files only, -iname ignores case.";
}

std::vector<Template> build_library() {
  std::vector<Template> t;
  t.push_back({"find.files",
               "files",
               {{"find", "list", "show", "search", "locate", "all"}, {"file*", "pdf*", "*"}},
               {"process*", "port*", "line*", "text", "containing", "disk", "free", "compress", "archive"},
               [](const Slots& s, Userland) -> std::optional<Answer> {
                 if (s.extensions.empty() && !s.size && !s.age) return std::nullopt;
                 return Answer{
                     "find " + path_or_default(s) + " -type f" + name_filter(s) + size_filter(s) + age_filter(s),
                     describe_find(s)};
               }});
  t.push_back(
      {"find.largest",
       "files",
       {{"largest", "biggest", "heaviest"}, {"file*"}},
       {},
       [](const Slots& s, Userland u) -> std::optional<Answer> {
         const long n = s.count.value_or(10);
         if (u == Userland::bsd) {
           return Answer{
               "find " + path_or_default(s) + " -type f -exec du -k {} + | sort -rn | head -n " + std::to_string(n),
               "Lists the " + std::to_string(n) + " largest files (size in KiB) under " + path_or_default(s) + "."};
         }
         return Answer{
             "find " + path_or_default(s) + " -type f -printf '%s\\t%p\\n' | sort -rn | head -n " + std::to_string(n),
             "Lists the " + std::to_string(n) + " largest files (size in bytes) under " + path_or_default(s) +
                 ", biggest first."};
       }});
  t.push_back({"disk.usage",
               "disk",
               {{"disk", "space", "size", "usage", "big", "much"}, {"folder*", "director*", "dir"}},
               {"free", "left", "available"},
               [](const Slots& s, Userland) -> std::optional<Answer> {
                 return Answer{"du -sh " + path_or_default(s),
                               "Shows the total size of " + path_or_default(s) + " in human-readable units."};
               }});
  t.push_back({"disk.free",
               "disk",
               {{"disk", "space", "storage"}, {"free", "left", "available", "remaining"}},
               {},
               [](const Slots&, Userland) -> std::optional<Answer> {
                 return Answer{"df -h", "Shows used and available space on every mounted filesystem."};
               }});
  t.push_back({"text.grep",
               "text",
               {{"search", "find", "grep", "look"}, {"text", "string", "word", "containing", "contain*"}},
               {},
               [](const Slots& s, Userland) -> std::optional<Answer> {
                 if (!s.quoted) return std::nullopt;
                 return Answer{"grep -rn -- " + quote(*s.quoted) + " " + path_or_default(s),
                               "Searches files under " + path_or_default(s) +
                                   " recursively for the text, printing "
                                   "file names and line numbers."};
               }});
  t.push_back({"text.count_lines",
               "text",
               {{"count", "number"}, {"line*"}},
               {},
               [](const Slots& s, Userland) -> std::optional<Answer> {
                 if (!s.extensions.empty()) {
                   return Answer{"find " + path_or_default(s) + " -type f" + name_filter(s) + " -exec wc -l {} +",
                                 "Counts lines in each matching file under " + path_or_default(s) + " and the total."};
                 }
                 return std::nullopt;
               }});
  t.push_back({"process.list",
               "processes",
               {{"process*", "running", "program*"}, {"list", "show", "all", "running"}},
               {"kill", "port*", "stop"},
               [](const Slots&, Userland) -> std::optional<Answer> {
                 return Answer{"ps aux", "Lists every running process with its owner, CPU and memory use."};
               }});
  t.push_back({"network.listening",
               "network",
               {{"port*", "listening", "listen"}, {"open", "listening", "list", "show", "which"}},
               {"kill"},
               [](const Slots&, Userland u) -> std::optional<Answer> {
                 if (u == Userland::bsd) {
                   return Answer{"lsof -nP -iTCP -sTCP:LISTEN", "Lists processes listening on TCP ports."};
                 }
                 return Answer{"ss -tlnp", "Lists listening TCP sockets with the process that owns each."};
               }});
  t.push_back({"system.memory",
               "system",
               {{"memory", "ram"}, {"free", "usage", "show", "how", "much", "available", "used"}},
               {},
               [](const Slots&, Userland u) -> std::optional<Answer> {
                 if (u == Userland::bsd) return Answer{"vm_stat", "Shows virtual memory statistics."};
                 return Answer{"free -h", "Shows total, used and available memory in human-readable units."};
               }});
  t.push_back({"git.status",
               "git",
               {{"git", "repo*"}, {"status", "changed", "modified", "changes"}},
               {"commit", "log"},
               [](const Slots&, Userland) -> std::optional<Answer> {
                 return Answer{"git status", "Shows changed, staged and untracked files in the current repository."};
               }});
  t.push_back({"git.log",
               "git",
               {{"git", "commit*"}, {"log", "history", "recent", "last"}},
               {},
               [](const Slots& s, Userland) -> std::optional<Answer> {
                 const long n = s.count.value_or(10);
                 return Answer{"git log --oneline -n " + std::to_string(n),
                               "Shows the last " + std::to_string(n) + " commits, one line each."};
               }});
  t.push_back({"archive.create",
               "archives",
               {{"compress", "archive", "tar", "zip"}, {"folder*", "director*", "dir", "~*", "/*", ".*"}},
               {"extract", "unpack", "unzip"},
               [](const Slots& s, Userland) -> std::optional<Answer> {
                 if (!s.path) return std::nullopt;
                 std::string name = *s.path;
                 while (name.size() > 1 && name.back() == '/') name.pop_back();
                 const auto slash = name.find_last_of('/');
                 std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
                 if (base.empty() || base == "." || base == "~") base = "archive";
                 return Answer{"tar -czf " + quote(base + ".tar.gz") + " " + *s.path,
                               "Creates the gzip-compressed archive " + base + ".tar.gz from " + *s.path + "."};
               }});
  t.push_back({"archive.extract",
               "archives",
               {{"extract", "unpack", "untar", "decompress"}},
               {},
               [](const Slots& s, Userland) -> std::optional<Answer> {
                 for (const auto& w : s.words) {
                   if (w.ends_with(".tar.gz") || w.ends_with(".tgz") || w.ends_with(".tar.xz") ||
                       w.ends_with(".tar.bz2") || w.ends_with(".tar")) {
                     return Answer{"tar -xf " + quote(w), "Extracts " + w + " into the current directory."};
                   }
                 }
                 return std::nullopt;
               }});
  return t;
}

bool word_matches(std::string_view word, std::string_view pattern) {
  if (pattern == "*") return false;
  if (pattern.ends_with('*')) return word.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  return word == pattern;
}

}  // namespace

std::span<const Template> template_library() {
  static const std::vector<Template> library = build_library();
  return library;
}

std::optional<Match> match_request(std::string_view request, Userland userland, double threshold) {
  const Slots slots = extract_slots(request);
  std::optional<Match> best;
  for (const Template& tmpl : template_library()) {
    std::size_t matched = 0;
    for (const auto& group : tmpl.required) {
      const bool any = std::any_of(slots.words.begin(), slots.words.end(), [&](const std::string& w) {
        return std::any_of(group.begin(), group.end(), [&](std::string_view p) { return word_matches(w, p); });
      });
      // A group holding "*" is satisfied by slots instead of words.
      const bool slot_group = std::find(group.begin(), group.end(), "*") != group.end() &&
                              (!slots.extensions.empty() || slots.size || slots.age);
      if (any || slot_group) ++matched;
    }
    if (matched != tmpl.required.size()) continue;
    const bool excluded = std::any_of(slots.words.begin(), slots.words.end(), [&](const std::string& w) {
      return std::any_of(tmpl.excluded.begin(), tmpl.excluded.end(),
                         [&](std::string_view p) { return word_matches(w, p); });
    });
    if (excluded) continue;
    auto answer = tmpl.build(slots, userland);
    if (!answer) continue;
    // More required groups matched = more specific; slots used add certainty.
    double confidence = 0.6 + 0.1 * static_cast<double>(tmpl.required.size());
    confidence = std::min(confidence, 0.95);
    if (!best || confidence > best->confidence) best = Match{&tmpl, std::move(*answer), confidence};
  }
  if (best && best->confidence < threshold) return std::nullopt;
  return best;
}

}  // namespace cmdai::llm::rules
