#include "safety/shell_variables.h"

#include <cctype>

#include "shell/parser.h"

namespace cmdai::safety {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Where the ${...} starting at `open` (at '$') ends: one past its '}'.
std::size_t braced_end(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '{') {
      ++depth;
    } else if (text[i] == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return text.size();
}

std::size_t arithmetic_end(std::string_view text, std::size_t from) {
  int depth = 0;
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0) return i + 1;
  }
  return text.size();
}

std::string dequote(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '"' && c != '\'') out += c;
  }
  return out;
}

// Fields under construction: literal text joins the current field; values
// may split it (unquoted words) or add fields (arrays, "$@").
class FieldBuilder {
 public:
  FieldBuilder(bool split, std::string ifs) : m_split(split), m_ifs(std::move(ifs)) {}

  void literal(std::string_view text) { m_fields.back() += text; }

  void value(const std::vector<std::string>& elements, bool separate) {
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i > 0 && separate) m_fields.emplace_back();
      if (i > 0 && !separate) m_fields.back() += ' ';
      piece(elements[i]);
    }
  }

  std::vector<std::string> take(bool drop_empty) {
    if (drop_empty) std::erase(m_fields, std::string());
    return std::move(m_fields);
  }

 private:
  void piece(std::string_view text) {
    if (!m_split) {
      m_fields.back() += text;
      return;
    }
    for (char c : text) {
      if (m_ifs.find(c) == std::string::npos) {
        m_fields.back() += c;
      } else if (!m_fields.back().empty()) {
        m_fields.emplace_back();
      }
    }
  }

  bool m_split;
  std::string m_ifs;
  std::vector<std::string> m_fields{std::string()};
};

// One ${...} or $NAME reference, split into its parts.
struct Reference {
  std::string name;
  bool indirect = false;  // ${!name}
  bool length = false;    // ${#name}
  std::string index;      // "@", "*", a number, or empty
  std::string op;         // "", ":-", "-", ":=", "=", ":?", "?", ":+", "+", or "other"
  std::string operand;
};

Reference parse_braced(std::string_view inner) {
  Reference r;
  std::size_t i = 0;
  if (inner.starts_with('#') && inner.size() > 1) r.length = true, ++i;
  if (i < inner.size() && inner[i] == '!') r.indirect = true, ++i;
  const std::size_t start = i;
  if (i < inner.size() && (inner[i] == '@' || inner[i] == '*' || std::isdigit(static_cast<unsigned char>(inner[i])))) {
    ++i;
  } else {
    while (i < inner.size() && is_name_char(inner[i])) ++i;
  }
  r.name = std::string(inner.substr(start, i - start));
  if (i < inner.size() && inner[i] == '[') {
    const auto close = inner.find(']', i);
    if (close != std::string_view::npos) {
      r.index = std::string(inner.substr(i + 1, close - i - 1));
      i = close + 1;
    }
  }
  const std::string_view rest = inner.substr(i);
  if (rest.empty()) return r;
  r.op = "other";
  for (std::string_view op : {":-", ":=", ":?", ":+", "-", "=", "?", "+"}) {
    if (rest.starts_with(op)) {
      r.op = std::string(op);
      r.operand = std::string(rest.substr(op.size()));
      break;
    }
  }
  return r;
}

}  // namespace

ShellVariables::ShellVariables(const ValidationContext& context) {
  set("HOME", {context.home_directory});
  set("PWD", {context.working_directory});
}

void ShellVariables::set(const std::string& name, std::vector<std::string> elements, bool loop) {
  m_values[name] = Value{std::move(elements), true, false, loop};
}

void ShellVariables::set_unknown(const std::string& name, bool hidden) {
  m_values[name] = Value{{}, false, hidden, false};
}

void ShellVariables::set_positional(std::vector<std::string> elements) {
  m_positional = Value{std::move(elements), true, false, false};
}

void ShellVariables::unset(const std::string& name) { m_values.erase(name); }

bool ShellVariables::assigned(std::string_view name) const { return m_values.contains(name); }

std::optional<ShellVariables::Value> ShellVariables::lookup(std::string_view name) const {
  if (name == "@" || name == "*") return m_positional;
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0])) != 0) {
    const auto n = static_cast<std::size_t>(name[0] - '0');
    if (!m_positional.known || n == 0) return Value{{}, false, false, false};
    return Value{
        {n <= m_positional.elements.size() ? m_positional.elements[n - 1] : std::string()}, true, false, false};
  }
  const auto it = m_values.find(name);
  if (it == m_values.end()) return std::nullopt;
  return it->second;
}

std::string ShellVariables::ifs() const {
  const auto v = lookup("IFS");
  return v && v->known && !v->elements.empty() ? v->elements.front() : std::string(" \t\n");
}

Expansion ShellVariables::expand(const shell::Word& word, std::span<const SubstitutionOutput> subs,
                                 Splitting splitting) const {
  Expansion out;
  if (!word.has_parameter && !word.has_substitution) {
    out.fields.push_back(word.text);
    return out;
  }
  const bool split = splitting == Splitting::fields && !word.quoted;
  FieldBuilder fields(split, ifs());
  const std::string_view text = word.text;
  std::size_t next_sub = 0;
  // An unknown output keeps its text ("$(uname -r)"), so a path built on it
  // still shows its fixed part and stays recognisably dynamic.
  const auto substitution = [&](std::size_t at, std::size_t length) {
    const SubstitutionOutput* s = next_sub < subs.size() ? &subs[next_sub] : nullptr;
    const bool process = next_sub < word.substitutions.size() &&
                         (word.substitutions[next_sub].kind == shell::SubstitutionKind::process_in ||
                          word.substitutions[next_sub].kind == shell::SubstitutionKind::process_out);
    ++next_sub;
    if (process) {
      fields.literal("/dev/fd/63");
    } else if (s != nullptr && s->text) {
      fields.value({*s->text}, false);
    } else {
      fields.literal(text.substr(at, length));
      out.complete = false;
      out.hidden = out.hidden || (s != nullptr && s->hidden);
    }
    return length;
  };
  const auto sub_length = [&](std::size_t fallback) {
    if (next_sub >= word.substitutions.size()) return fallback;
    const auto& span = word.substitutions[next_sub].span;
    return span.end > span.begin ? span.end - span.begin : fallback;
  };
  const auto reference = [&](const Reference& r) {
    std::optional<Value> v = r.indirect ? std::nullopt : lookup(r.name);
    if (r.indirect) {
      const auto ref = lookup(r.name);
      if (ref && ref->known && !ref->elements.empty()) v = lookup(ref->elements.front());
    }
    const bool set =
        v && v->known && !(r.op.starts_with(':') && v->elements.size() == 1 && v->elements.front().empty());
    if (r.length || r.op == "other") {
      out.complete = false;
      return;
    }
    if (r.op == ":+" || r.op == "+") {
      if (set) fields.literal(dequote(r.operand));
      out.complete = out.complete && (!v || v->known);
      return;
    }
    if (!set) {
      const bool fallback = r.op == ":-" || r.op == "-" || r.op == ":=" || r.op == "=";
      if (fallback && r.operand.find_first_of("$`") == std::string::npos) {
        fields.literal(dequote(r.operand));
        return;
      }
      if (r.name == "HOME") fields.literal("~");
      out.complete = false;
      out.hidden = out.hidden || (v && v->hidden);
      return;
    }
    const bool all = r.index == "@" || r.name == "@" || (v->loop && r.index.empty());
    if (r.index.empty() && !all && r.name != "*") return fields.value({v->elements.front()}, false);
    if (!r.index.empty() && r.index != "@" && r.index != "*") {
      const auto n = static_cast<std::size_t>(std::strtoul(r.index.c_str(), nullptr, 10));
      return fields.value({n < v->elements.size() ? v->elements[n] : std::string()}, false);
    }
    fields.value(v->elements, all);
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("$((")) {
      i = arithmetic_end(text, i + 1);
      out.complete = false;
    } else if (rest.starts_with("$(") || c == '`' ||
               ((c == '<' || c == '>') && rest.size() > 1 && rest[1] == '(' && next_sub < word.substitutions.size())) {
      i += substitution(i, sub_length(text.size() - i));
    } else if (rest.starts_with("${")) {
      const std::size_t end = braced_end(text, i);
      const std::string_view inner = text.substr(i + 2, end - i - 3);
      if (inner.find("$(") != std::string_view::npos || inner.find('`') != std::string_view::npos) ++next_sub;
      reference(parse_braced(inner));
      i = end;
    } else if (c == '$' && rest.size() > 1 && (is_name_char(rest[1]) || rest[1] == '@' || rest[1] == '*')) {
      std::size_t end = 2;
      if (is_name_char(rest[1]) && std::isdigit(static_cast<unsigned char>(rest[1])) == 0) {
        while (end < rest.size() && is_name_char(rest[end])) ++end;
      }
      Reference r;
      r.name = std::string(rest.substr(1, end - 1));
      reference(r);
      i += end;
    } else if (c == '$' && rest.size() > 1 && std::string_view("#?$!-").find(rest[1]) != std::string_view::npos) {
      out.complete = false;
      i += 2;
    } else {
      fields.literal(std::string_view(&c, 1));
      ++i;
    }
  }
  out.fields = fields.take(split);
  return out;
}

void ShellVariables::assign_defaults(const shell::Word& word) {
  const std::string_view text = word.text;
  for (std::size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", at + 2)) {
    const std::size_t end = braced_end(text, at);
    const Reference r = parse_braced(text.substr(at + 2, end - at - 3));
    if ((r.op != ":=" && r.op != "=") || r.indirect || lookup(r.name)) continue;
    if (r.operand.find_first_of("$`") != std::string::npos) continue;
    set(r.name, {dequote(r.operand)});
  }
}

void ShellVariables::assign(const shell::Word& word, std::span<const SubstitutionOutput> subs) {
  const auto eq = word.text.find('=');
  if (eq == std::string::npos || eq == 0) return;
  const bool append = word.text[eq - 1] == '+';
  const std::string name = word.text.substr(0, append ? eq - 1 : eq);
  const std::string_view raw = std::string_view(word.text).substr(eq + 1);
  if (raw.starts_with('(') && raw.ends_with(')') && !word.quoted) {
    auto parsed = shell::parse(raw.substr(1, raw.size() - 2));
    std::vector<std::string> elements;
    bool known = parsed.has_value();
    if (parsed) {
      for (const auto& item : parsed->items) {
        for (const auto& command : item.pipeline.commands) {
          for (const auto& w : command.words) {
            known = known && !w.has_parameter && !w.has_substitution;
            elements.push_back(w.text);
          }
        }
      }
    }
    return known ? set(name, std::move(elements)) : set_unknown(name, false);
  }
  const Expansion e = expand(word, subs, Splitting::none);
  if (!e.complete || e.fields.empty()) return set_unknown(name, e.hidden);
  std::string value = e.fields.front().substr(std::min(e.fields.front().size(), e.fields.front().find('=') + 1));
  const auto before = lookup(name);
  if (append && before && before->known && !before->elements.empty()) {
    value = before->elements.front() + value;
  }
  set(name, {std::move(value)});
}

std::optional<std::string> render_printf(std::string_view format, std::span<const std::string> args) {
  std::string out;
  std::size_t next = 0;
  const auto arg = [&]() { return next < args.size() ? args[next++] : std::string(); };
  do {
    for (std::size_t i = 0; i < format.size(); ++i) {
      const char c = format[i];
      if (c == '\\' && i + 1 < format.size()) {
        const char e = format[++i];
        if (e == 'x') {
          int value = 0, digits = 0;
          while (digits < 2 && i + 1 < format.size() && std::isxdigit(static_cast<unsigned char>(format[i + 1]))) {
            const char h = format[++i];
            value = value * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
            ++digits;
          }
          if (digits == 0) return std::nullopt;
          out += static_cast<char>(value);
        } else if (e >= '0' && e <= '7') {
          int value = e - '0';
          for (int n = 0; n < 2 && i + 1 < format.size() && format[i + 1] >= '0' && format[i + 1] <= '7'; ++n) {
            value = value * 8 + (format[++i] - '0');
          }
          out += static_cast<char>(value);
        } else {
          out += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'a' ? '\a' : e;
        }
      } else if (c == '%' && i + 1 < format.size()) {
        const char f = format[++i];
        if (f == '%') {
          out += '%';
        } else if (f == 's' || f == 'd' || f == 'i' || f == 'b') {
          out += arg();
        } else if (f == 'c') {
          const std::string a = arg();
          if (!a.empty()) out += a.front();
        } else {
          return std::nullopt;
        }
      } else {
        out += c;
      }
    }
  } while (next > 0 && next < args.size());
  return out;
}

}  // namespace cmdai::safety
