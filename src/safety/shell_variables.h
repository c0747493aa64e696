#pragma once
// Internal to the safety module: what a script's variables hold, where that
// can be known before it runs. The walker records constant assignments
// (NAME=value, declare/export/local/readonly, arrays, printf -v, read from a
// here-string, set --, for-loop lists, ${NAME:=value}) and expands words
// with them: "R=r; M=m; $R$M -rf /" runs rm, "d=/; rm -rf $d" deletes /.
//
// A variable nobody set expands as if empty (it may be), which keeps
// "rm -rf $DIR/" reading as "rm -rf /"; $HOME and $PWD are the context's.
// A value that came from somewhere cmdai cannot read (a file, a download,
// decoded text, another program's output) is unknown, and says whether the
// text was hidden data.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "safety/validator.h"
#include "shell/ast.h"

namespace cmdai::safety {

// What a $(...), `...` or <(...) in a word gives, as far as cmdai knows.
struct SubstitutionOutput {
  std::optional<std::string> text;  // known output (trailing newlines removed)
  bool hidden = false;              // output is data cmdai cannot see (file, download, decoded text)
};

struct Expansion {
  std::vector<std::string> fields;  // after word splitting and array expansion
  bool complete = true;             // every expansion in the word was known
  bool hidden = false;              // some part was hidden data (see SubstitutionOutput)
};

enum class Splitting { fields, none };  // none: assignments and quoted words

class ShellVariables {
 public:
  explicit ShellVariables(const ValidationContext& context);

  // Known values; several elements for arrays, "$@" and loop lists.
  void set(const std::string& name, std::vector<std::string> elements, bool loop = false);
  void set_unknown(const std::string& name, bool hidden);
  void set_positional(std::vector<std::string> elements);
  void unset(const std::string& name);
  // Whether name was set by the script (known or not).
  bool assigned(std::string_view name) const;

  // The word as the shell would expand it; subs[i] is the output of the
  // word's i-th substitution (missing entries are unknown).
  Expansion expand(const shell::Word& word, std::span<const SubstitutionOutput> subs,
                   Splitting splitting = Splitting::fields) const;

  // ${NAME:=value} and ${NAME=value} assign when NAME is unset.
  void assign_defaults(const shell::Word& word);

  // NAME=value, NAME+=value and NAME=(a b c) words (value after expansion).
  void assign(const shell::Word& word, std::span<const SubstitutionOutput> subs);

  std::string ifs() const;

 private:
  struct Value {
    std::vector<std::string> elements;
    bool known = true;
    bool hidden = false;
    bool loop = false;  // a for-loop list: "$d" stands for each element
  };
  std::optional<Value> lookup(std::string_view name) const;

  std::map<std::string, Value, std::less<>> m_values;
  Value m_positional{{}, false, false, false};
};

// printf FORMAT ARGS as far as cmdai renders it (%s %d %b %c and the
// backslash escapes); nullopt for formats it does not render.
std::optional<std::string> render_printf(std::string_view format, std::span<const std::string> args);

}  // namespace cmdai::safety
