#include "safety/compat.h"

#include <algorithm>

namespace cmdai::safety {
namespace {

struct Features {
  bool ansi_c = false, process_substitution = false, herestring = false, heredoc = false, redirect_all = false;
  bool double_bracket = false, arithmetic = false, brace_expansion = false, arrays = false, source = false;
  bool backticks = false, function_keyword = false;
  std::vector<std::string> gnu_flags;
};

void note_gnu_flags(const shell::Command& c, Features& f) {
  if (c.words.empty()) return;
  const std::string& p = c.words[0].text;
  for (std::size_t i = 1; i < c.words.size(); ++i) {
    const std::string& a = c.words[i].text;
    const bool gnu = (p == "sed" && a == "-i" && i + 1 < c.words.size() && !c.words[i + 1].text.empty()) ||
                     (p == "grep" && (a == "-P" || a == "--perl-regexp")) || (p == "ls" && a.starts_with("--color")) ||
                     (p == "date" && a == "-d") || (p == "find" && (a == "-printf" || a == "-regextype")) ||
                     (p == "xargs" && (a == "-r" || a == "--no-run-if-empty")) || (p == "stat" && a == "-c") ||
                     (p == "cp" && a == "--parents") || (p == "du" && a.starts_with("--max-depth")) ||
                     (p == "base64" && a == "-w") || (p == "readlink" && a == "-f") ||
                     (p == "tar" && a == "--wildcards") || (p == "head" && a.starts_with("-n-"));
    if (gnu) f.gnu_flags.push_back(p + " " + a);
  }
}

void scan(const shell::Script& script, Features& f);

void scan_word(const shell::Word& w, Features& f) {
  f.ansi_c = f.ansi_c || w.has_ansi_c;
  f.brace_expansion = f.brace_expansion || w.has_brace;
  for (const auto& s : w.substitutions) {
    if (s.kind == shell::SubstitutionKind::process_in || s.kind == shell::SubstitutionKind::process_out) {
      f.process_substitution = true;
    }
    if (s.kind == shell::SubstitutionKind::backtick) f.backticks = true;
    scan(s.body.front(), f);
  }
}

void scan(const shell::Script& script, Features& f) {
  for (const auto& item : script.items) {
    for (const auto& c : item.pipeline.commands) {
      f.arithmetic = f.arithmetic || c.kind == shell::CommandKind::arithmetic;
      for (const auto& w : c.assignments) {
        f.arrays = f.arrays || w.text.find("=(") != std::string::npos;
        scan_word(w, f);
      }
      for (const auto& w : c.words) scan_word(w, f);
      if (!c.words.empty()) {
        f.double_bracket = f.double_bracket || c.words[0].text == "[[";
        f.source = f.source || c.words[0].text == "source";
      }
      for (const auto& r : c.redirects) {
        f.herestring = f.herestring || r.op == shell::RedirectOp::herestring;
        f.heredoc = f.heredoc || r.op == shell::RedirectOp::heredoc;
        f.redirect_all =
            f.redirect_all || r.op == shell::RedirectOp::write_all || r.op == shell::RedirectOp::append_all;
      }
      note_gnu_flags(c, f);
      for (const auto& body : c.body) scan(body, f);
    }
  }
}

bool has_token(std::string_view text, std::string_view token) {
  std::size_t pos = 0;
  while ((pos = text.find(token, pos)) != std::string_view::npos) {
    const bool left = pos == 0 || text[pos - 1] == ' ' || text[pos - 1] == ';' || text[pos - 1] == '\n';
    const std::size_t end = pos + token.size();
    const bool right = end == text.size() || text[end] == ' ' || text[end] == ';' || text[end] == '\n';
    if (left && right) return true;
    pos = end;
  }
  return false;
}

}  // namespace

std::vector<std::string> compatibility_warnings(const shell::Script& script, std::string_view text,
                                                const ValidationContext& context) {
  Features f;
  scan(script, f);
  std::vector<std::string> out;
  if (context.shell == ShellType::sh) {
    const std::pair<bool, std::string_view> bashisms[] = {{f.ansi_c, "$'...' quoting"},
                                                          {f.process_substitution, "process substitution <(...)"},
                                                          {f.herestring, "here-strings <<<"},
                                                          {f.redirect_all, "&> redirection"},
                                                          {f.double_bracket, "[[ ... ]]"},
                                                          {f.arithmetic, "(( ... )) arithmetic commands"},
                                                          {f.brace_expansion, "brace expansion {a,b}"},
                                                          {f.arrays, "arrays"},
                                                          {f.source, "'source' (use '.')"}};
    for (const auto& [used, what] : bashisms) {
      if (used) out.push_back("sh does not support " + std::string(what) + "; run it with bash");
    }
  }
  if (context.shell == ShellType::fish) {
    const std::pair<bool, std::string_view> posix[] = {
        {f.backticks, "backtick substitution (use (...))"},
        {f.heredoc, "heredocs"},
        {f.process_substitution, "process substitution <(...) (use (cmd | psub))"},
        {f.double_bracket, "[[ ... ]]"},
        {f.arithmetic, "(( ... )) (use math)"},
        {f.arrays, "NAME=(...) arrays (use set NAME ...)"},
        {has_token(text, "then") || has_token(text, "fi"), "if ...; then ...; fi (use if ...; ...; end)"},
        {has_token(text, "do") || has_token(text, "done"), "for/while ...; do ...; done (use ...; end)"},
        {text.find("$((") != std::string_view::npos, "$((...)) arithmetic (use math)"}};
    for (const auto& [used, what] : posix) {
      if (used) out.push_back("fish does not support " + std::string(what));
    }
  }
  if (context.userland == Userland::bsd) {
    for (const auto& flag : f.gnu_flags) out.push_back("'" + flag + "' is GNU-only; BSD/macOS userland lacks it");
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace cmdai::safety
