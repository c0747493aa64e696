#include "manual/roff_options.h"

#include <vector>

namespace cmdai::manual {
namespace {

// A named character \(xx or \[name] as plain text.
std::string named_character(std::string_view name) {
  if (name == "aq" || name == "cq") return "'";
  if (name == "lq" || name == "rq" || name == "dq") return "\"";
  if (name == "em" || name == "en" || name == "mi" || name == "hy") return "-";
  if (name == "ti") return "~";
  if (name == "rs") return "\\";
  if (name == "bu") return "*";
  return "";
}

// The length of the escape's argument after the escape letter at text[0].
std::size_t skip_argument(std::string_view text) {
  if (text.empty()) return 0;
  if (text[0] == '(') return std::min<std::size_t>(3, text.size());
  if (text[0] == '[') return std::min(text.find(']'), text.size() - 1) + 1;
  return 1;
}

}  // namespace

std::string plain_text(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    const char e = text[++i];
    const std::string_view rest = text.substr(i + 1);
    if (e == 'f' || e == '*' || e == 'n' || e == 'F') {
      i += skip_argument(rest);
    } else if (e == 's') {
      i += rest.size() > 1 && (rest[0] == '-' || rest[0] == '+') ? 2 : std::min<std::size_t>(1, rest.size());
    } else if (e == '(' || e == '[') {
      const std::size_t n = skip_argument(text.substr(i));
      out += named_character(text.substr(i + 1, e == '(' ? 2 : n - 2));
      i += n - 1;
    } else if (e == '-' || e == '\\' || e == 'e') {
      out += e == '-' ? '-' : '\\';
    } else if (e == ' ' || e == '~') {
      out += ' ';
    } else if (e == '"') {
      break;  // a comment to the end of the line
    } else if (e != '&' && e != '|' && e != '^' && e != 'c' && e != ')' && e != '/' && e != ',') {
      out += e;
    }
  }
  return out;
}

namespace {

// A macro line's arguments: blanks separate, double quotes group.
std::vector<std::string> macro_arguments(std::string_view line) {
  std::vector<std::string> args;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    std::string arg;
    if (line[i] == '"') {
      for (++i; i < line.size() && line[i] != '"'; ++i) arg += line[i];
      ++i;
    } else {
      for (; i < line.size() && line[i] != ' '; ++i) arg += line[i];
    }
    args.push_back(arg);
  }
  return args;
}

// The text a line contributes: font macros join their arguments (.BR a b
// is "ab"), .B and .I keep the blanks; other requests give nothing.
std::string line_text(std::string_view line, bool& is_request) {
  is_request = !line.empty() && (line[0] == '.' || line[0] == '\'');
  if (!is_request) return plain_text(line);
  const std::size_t space = line.find(' ');
  const std::string_view macro = line.substr(1, space == std::string_view::npos ? line.size() : space - 1);
  const std::string_view args = space == std::string_view::npos ? "" : line.substr(space + 1);
  std::string out;
  if (macro == "B" || macro == "I" || macro == "SM") return plain_text(args);
  if (macro == "BR" || macro == "RB" || macro == "IR" || macro == "RI" || macro == "BI" || macro == "IB") {
    for (const auto& arg : macro_arguments(args)) out += plain_text(arg);
    return out;
  }
  if (macro == "It" || macro == "Fl" || macro == "Ar" || macro == "Nm" || macro == "Op") {
    // mdoc: "Fl x" is -x, "Ar file" a value; other callable macros dropped.
    for (const auto& arg : macro_arguments(std::string(macro) + " " + std::string(args))) {
      if (arg == "Fl") {
        out += (out.empty() || out.back() == ' ' || out.back() == '-') ? "-" : " -";
      } else if (arg == "Ar") {
        out += " ";
      } else if (arg != "It" && arg != "Op" && arg != "Oo" && arg != "Oc" && arg != "Ns" && arg != "Nm" &&
                 arg != "Xo") {
        out += plain_text(arg);
      }
    }
  }
  return out;
}

bool starts_paragraph(std::string_view macro) {
  for (std::string_view m : {"TP", "IP", "PP", "LP", "P", "SH", "SS", "HP", "It", "Sh", "Ss", "Pp", "El", "Bl"}) {
    if (macro == m) return true;
  }
  return false;
}

std::string macro_of(std::string_view line) {
  if (line.empty() || (line[0] != '.' && line[0] != '\'')) return "";
  const std::size_t end = line.find(' ');
  return std::string(line.substr(1, end == std::string_view::npos ? line.size() - 1 : end - 1));
}

std::string first_sentence(std::string text) {
  while (!text.empty() && text.front() == ' ') text.erase(0, 1);
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '.' && text[i + 1] == ' ' && i > 3) return text.substr(0, i + 1);
  }
  if (text.size() > 200) text = text.substr(0, 197) + "...";
  return text;
}

// "-w, --width=COLS" -> -w, --width (takes a value).
void add_tag(PageOptions& page, const std::string& tag, const std::string& description) {
  std::vector<std::string> flags;
  bool takes_value = false;
  std::size_t i = 0;
  while (i < tag.size()) {
    const std::size_t end = std::min(tag.find_first_of(" ,|", i), tag.size());
    std::string word = tag.substr(i, end - i);
    i = end + 1;
    if (word.size() < 2 || word[0] != '-') {
      if (!word.empty() && !flags.empty()) takes_value = true;
      continue;
    }
    const std::size_t cut = word.find_first_of("=[<");
    if (cut != std::string::npos) {
      takes_value = takes_value || word[cut] != '[';
      word.resize(cut);
    }
    if (word.size() > 1 && word != "--") flags.push_back(word);
  }
  for (const auto& flag : flags) page.options.emplace(flag, OptionText{first_sentence(description), takes_value});
}

}  // namespace

PageOptions parse_roff_options(std::string_view roff) {
  PageOptions page;
  std::string section, tag, description;
  bool want_tag = false, in_item = false;
  bool maybe_tag = false;  // after .PP: DocBook pages (git's) tag an item with a plain "-x, --all" line
  auto close_item = [&] {
    if (in_item && !tag.empty()) add_tag(page, tag, description);
    in_item = false;
    tag.clear();
    description.clear();
  };
  std::size_t start = 0;
  while (start < roff.size()) {
    const std::size_t end = std::min(roff.find('\n', start), roff.size());
    const std::string_view line = roff.substr(start, end - start);
    start = end + 1;
    const std::string macro = macro_of(line);
    bool request = false;
    if (starts_paragraph(macro)) {
      close_item();
      if (macro == "SH" || macro == "Sh") {
        const auto args = macro_arguments(line.substr(std::min(line.size(), macro.size() + 2)));
        section = args.empty() ? "" : plain_text(args[0]);
      }
      if (macro == "TP") want_tag = in_item = true;
      maybe_tag = macro == "PP" || macro == "P" || macro == "LP";
      if (macro == "IP" || macro == "It") {
        const auto args = macro == "IP" ? macro_arguments(line.substr(std::min(line.size(), std::size_t{4})))
                                        : std::vector<std::string>{};
        tag = macro == "IP" ? (args.empty() ? "" : plain_text(args[0])) : line_text(line, request);
        in_item = !tag.empty();
      }
      continue;
    }
    if (macro == "TQ") {
      want_tag = true;
      continue;
    }
    if (macro == "Nd" && page.summary.empty()) {  // mdoc's NAME line
      page.summary = plain_text(line.substr(std::min(line.size(), std::size_t{4})));
      continue;
    }
    const std::string text = line_text(line, request);
    if (request && text.empty()) continue;
    const bool tag_line = maybe_tag;
    maybe_tag = false;
    if (tag_line && !request && text.size() > 1 && text[0] == '-') {
      tag = text;
      in_item = true;
    } else if (want_tag) {
      tag += (tag.empty() ? "" : ", ") + text;
      want_tag = false;
    } else if (in_item) {
      description += " " + text;
    } else if ((section == "NAME" || section == "Name") && page.summary.empty()) {
      const std::size_t dash = text.find(" - ");
      if (dash != std::string::npos) page.summary = text.substr(dash + 3);
    }
  }
  close_item();
  return page;
}

}  // namespace cmdai::manual
