#pragma once
// Validator: rates a command before anything runs it, by parsing it the way
// the shell will (shell::parse), unwrapping wrappers (sudo, env, xargs,
// find -exec, sh -c, ssh ...), re-parsing inline code, analysing each
// program's arguments and the data flow across pipelines and chains.
//
// The level of a command is the maximum over everything it runs. Context
// (working directory, home, root, SSH, git branch, kube context) raises a
// level; where it lowers one (an image file rather than a disk, a guarded
// variable, signal 0, a help request ...) the result says so
// (ValidationResult::lowered). Input that cannot be parsed is rated at
// least high.
//
// Thread safety: validate() is const and may be called from several threads
// on one Validator. Construction compiles the custom patterns; the built-in
// rule tables are compiled once per process.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"
#include "safety/policy.h"
#include "safety/validation_result.h"

namespace cmdai::safety {

enum class Userland { gnu, bsd };  // bsd: macOS and the BSDs

// What the user's history knows (filled by the pipeline; safety never reads
// the history store itself).
struct HabitHints {
  std::vector<std::string> known_programs;    // programs that appear in the history
  std::vector<std::string> known_targets;     // paths that appear as arguments
  std::vector<std::string> failing_programs;  // programs whose last runs mostly failed
};

// What a path names on disk, as far as the caller looked.
enum class FileKind { unknown, missing, regular, directory, block_device, other };

struct ValidationContext {
  std::string working_directory = "/";
  std::string home_directory = "/root";
  ShellType shell = ShellType::bash;
  bool is_root = false;
  // Escalation signals; none of them ever lowers a level.
  bool is_ssh_session = false;
  std::string git_branch;  // current branch in working_directory, empty if unknown
  std::vector<std::string> protected_branches{"main", "master", "production", "prod", "release"};
  std::string kube_context;  // current kubectl context, empty if unknown
  Userland userland = Userland::gnu;
  SafetyLevel safety_level = SafetyLevel::moderate;
  std::optional<HabitHints> habits;
  // What an absolute path really is on disk (the pipeline fills it from the
  // file system; safety itself never touches files). Null: paths are rated
  // by their names alone. Asked for paths the rules would otherwise take as
  // ordinary files, so "disk.img" that is a link to /dev/sda is a disk.
  std::function<FileKind(const std::string& path)> file_kind;
  // Whether a program name is found on PATH (the pipeline looks; safety
  // never touches files). Null: only cmdai's own table of programs
  // (known_programs.cpp) says which programs are known. A program neither
  // knows is unverified, and rated high when its arguments look destructive.
  std::function<bool(const std::string& program)> on_path;
};

// A user rule from config: a regex (RE2 syntax) matched against each
// command cmdai finds, written as "program arg1 arg2 ...".
struct CustomPattern {
  std::string id;  // e.g. "custom.1"
  RiskLevel level = RiskLevel::high;
  std::string regex;
  std::string message;  // may be empty: "matches your pattern REGEX"
};

struct ValidatorOptions {
  std::vector<CustomPattern> custom_patterns;
  std::size_t max_depth = 16;  // nested sh -c / eval / substitutions before giving up (rated high)
};

// Config strings "REGEX" or "LEVEL:REGEX" (LEVEL one of moderate, high,
// critical; default high) as patterns with ids custom.1, custom.2 ...
Result<std::vector<CustomPattern>> parse_custom_patterns(const std::vector<std::string>& entries);

// Explains a result's high and critical findings against the user's
// history: programs never run before, programs that mostly failed. Lets a
// caller that learns the habits after validating (from result.programs) add
// them without validating again. Never changes the level.
void apply_habits(const HabitHints& habits, ValidationResult& result);

class Validator {
 public:
  Validator();  // built-in rules only
  // Errors: invalid_argument when a custom pattern is not a valid RE2 regex.
  static Result<Validator> create(ValidatorOptions options);

  ValidationResult validate(std::string_view command, const ValidationContext& context) const;

  struct Compiled;  // custom patterns, compiled

 private:
  ValidatorOptions m_options;
  std::shared_ptr<const Compiled> m_compiled;
};

}  // namespace cmdai::safety
