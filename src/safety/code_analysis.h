#pragma once
// Inline code that is not shell: SQL, redis and mongo commands, and
// python/perl/ruby/node/php bodies. Shell commands embedded in the code
// (os.system("..."), `...`, execSync("...")) and file deletions
// (shutil.rmtree, fs.rmSync ...) come back so the validator rates them as
// the shell commands they amount to. All regexes run on RE2.

#include <string>
#include <string_view>
#include <vector>

#include "safety/call.h"

namespace cmdai::safety {

struct CodeReport {
  std::vector<std::string_view> rules;      // rule ids (rule_table.cpp)
  std::vector<std::string> shell_commands;  // to validate as shell code
};

// Thread-safe; linear in code.size() per pattern.
CodeReport analyze_code(CodeLanguage language, std::string_view code);

}  // namespace cmdai::safety
