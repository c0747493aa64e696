#include "safety/code_analysis.h"

#include <re2/re2.h>

#include <memory>

namespace cmdai::safety {
namespace {

std::unique_ptr<RE2> compile(std::string_view pattern) {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  options.set_max_mem(1 << 20);
  return std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
}

bool contains(const RE2& re, std::string_view text) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

// Every capture of re (first non-empty group) in text.
std::vector<std::string> captures(const RE2& re, std::string_view text) {
  std::vector<std::string> out;
  re2::StringPiece input(text.data(), text.size());
  const int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(groups) + 1);
  std::size_t pos = 0;
  while (pos <= input.size() && re.Match(input, pos, input.size(), RE2::UNANCHORED, pieces.data(), groups + 1)) {
    for (int g = 1; g <= groups; ++g) {
      if (!pieces[g].empty()) {
        out.emplace_back(pieces[g].data(), pieces[g].size());
        break;
      }
    }
    const std::size_t end = static_cast<std::size_t>(pieces[0].data() - input.data()) + pieces[0].size();
    pos = end > pos ? end : pos + 1;
    if (out.size() > 64) break;
  }
  return out;
}

std::string quoted_list_to_command(std::string_view list) {
  std::string out;
  static const auto* const item = compile(R"re(["']([^"']*)["'])re").release();
  for (const auto& word : captures(*item, list)) out += (out.empty() ? "" : " ") + quote_arg(word);
  return out;
}

void analyze_sql(std::string_view code, CodeReport& report) {
  static const auto* const drop_db = compile(R"(\bdrop\s+(database|schema)\b)").release();
  static const auto* const drop_table = compile(R"(\b(drop\s+(table|view|index)|truncate)\b)").release();
  static const auto* const delete_or_update = compile(R"(^\s*(delete\s+from|update)\b)").release();
  static const auto* const where = compile(R"(\bwhere\b)").release();
  static const auto* const write =
      compile(R"(\b(insert|update|delete|alter|create|grant|revoke|replace|merge)\b)").release();
  std::size_t start = 0;
  while (start <= code.size()) {
    std::size_t end = code.find(';', start);
    if (end == std::string_view::npos) end = code.size();
    const std::string_view statement = code.substr(start, end - start);
    if (contains(*drop_db, statement)) {
      report.rules.push_back("db.drop_database");
    } else if (contains(*drop_table, statement) ||
               (contains(*delete_or_update, statement) && !contains(*where, statement))) {
      report.rules.push_back("db.destructive");
    } else if (contains(*write, statement)) {
      report.rules.push_back("db.write");
    }
    start = end + 1;
  }
}

void analyze_redis(std::string_view code, CodeReport& report) {
  static const auto* const flush = compile(R"(^\s*(flushall|flushdb)\b)").release();
  static const auto* const dangerous =
      compile(R"(^\s*(config\s+set|shutdown|debug|slaveof|replicaof|script\s+flush)\b)").release();
  static const auto* const write =
      compile(R"(^\s*(del|unlink|set|hset|hdel|lpush|rpush|expire|rename|sadd|srem|zadd|incr|decr|mset|eval)\b)")
          .release();
  if (contains(*flush, code))
    report.rules.push_back("db.flush_all");
  else if (contains(*dangerous, code))
    report.rules.push_back("db.destructive");
  else if (contains(*write, code))
    report.rules.push_back("db.write");
}

void analyze_mongo(std::string_view code, CodeReport& report) {
  static const auto* const drop_db = compile(R"(dropDatabase\s*\()").release();
  static const auto* const destructive =
      compile(R"(\.drop\s*\(\s*\)|(deleteMany|remove)\s*\(\s*\{\s*\}\s*\)|updateMany\s*\(\s*\{\s*\})").release();
  static const auto* const write =
      compile(R"(\.(insert\w*|update\w*|delete\w*|remove|replaceOne|createIndex|drop\w*)\s*\()").release();
  if (contains(*drop_db, code))
    report.rules.push_back("db.drop_database");
  else if (contains(*destructive, code))
    report.rules.push_back("db.destructive");
  else if (contains(*write, code))
    report.rules.push_back("db.write");
}

// Paths written as expressions become literals the deletion patterns can
// read: the home directory in each language's spelling is "~", "a" + "b"
// is "ab", os.path.join("/boot", f) over a listing is "/boot/*".
std::string literal_paths(std::string_view code) {
  static const auto* const home =
      compile(
          R"re(process\.env\.HOME|(?:require\(\s*["']os["']\s*\)|\bos)\.homedir\(\s*\)|Dir\.home|\$ENV\{\s*["']?HOME["']?\s*\}|(?:pathlib\.)?Path\.home\(\s*\)|os\.path\.expanduser\(\s*["']~["']\s*\)|os\.environ\[\s*["']HOME["']\s*\]|(?:os\.)?getenv\(\s*["']HOME["']\s*\)|ENV\[\s*["']HOME["']\s*\])re")
          .release();
  static const auto* const concat = compile(R"re(["']([^"']*)["']\s*\+\s*["']([^"']*)["'])re").release();
  static const auto* const join = compile(R"re(os\.path\.join\(\s*["']([^"']*)["']\s*,\s*\w+\s*\))re").release();
  std::string out(code);
  RE2::GlobalReplace(&out, *home, "\"~\"");
  for (int i = 0; i < 4 && RE2::GlobalReplace(&out, *concat, "\"\\1\\2\""); ++i) {
  }
  RE2::GlobalReplace(&out, *join, "\"\\1/*\"");
  return out;
}

void extract_deletions(std::string_view original, CodeReport& report) {
  const std::string code = literal_paths(original);
  static const auto* const rmtree =
      compile(
          R"re((?:shutil\.rmtree|rmtree|remove_tree|FileUtils\.rm_rf|FileUtils\.remove_dir|rm_r)\s*\(?\s*(?:os\.path\.expanduser\(\s*)?["']([^"']*)["'])re")
          .release();
  static const auto* const node_rm =
      compile(R"re(\b(?:rmSync|rmdirSync|rm|rmdir)\s*\(\s*["'`]([^"'`]*)["'`][^)]*recursive\s*:\s*true)re").release();
  static const auto* const unlink =
      compile(
          R"re((?:os\.remove|os\.unlink|unlink|fs\.unlinkSync|unlinkSync|rmSync|File\.delete|FileUtils\.rm)\s*\(?\s*(?:glob\s*\(?\s*)?["']([^"']*)["'])re")
          .release();
  for (const auto& path : captures(*rmtree, code)) report.shell_commands.push_back("rm -rf " + quote_arg(path));
  for (const auto& path : captures(*node_rm, code)) report.shell_commands.push_back("rm -rf " + quote_arg(path));
  // glob() expands "~" and wildcards the way the shell would, so its pattern
  // is handed over unquoted when it holds nothing else the shell reads.
  static const auto* const unlink_glob =
      compile(R"re(\bunlink\s*\(?\s*glob\s*\(?\s*["']([~A-Za-z0-9_./*?\[\]-]+)["'])re").release();
  for (const auto& path : captures(*unlink, code)) report.shell_commands.push_back("rm " + quote_arg(path));
  for (const auto& pattern : captures(*unlink_glob, code)) report.shell_commands.push_back("rm -f " + pattern);
}

void extract_commands(CodeLanguage language, std::string_view code, CodeReport& report) {
  static const auto* const literal_call =
      compile(
          R"re((?:os\.system|os\.popen|os\.execute|io\.popen|subprocess\.\w+|commands\.getoutput|system|execSync|spawnSync|shell_exec|passthru|popen|proc_open|qx|IO\.popen|%x)\s*[\(\{]?\s*[rbuf]?(?:"([^"]*)"|'([^']*)'|`([^`]*)`))re")
          .release();
  static const auto* const exec_call = compile(R"re(\bexec\s*\(?\s*(?:"([^"]*)"|'([^']*)'|`([^`]*)`))re").release();
  static const auto* const list_call =
      compile(R"re((?:subprocess\.\w+|os\.exec\w*|spawn\w*|execFile\w*)\s*\(\s*\[([^\]]*)\])re").release();
  static const auto* const backticks = compile(R"re(`([^`]*)`)re").release();
  for (auto& command : captures(*literal_call, code)) report.shell_commands.push_back(std::move(command));
  for (const auto& list : captures(*list_call, code)) report.shell_commands.push_back(quoted_list_to_command(list));
  if (language != CodeLanguage::python) {
    for (auto& command : captures(*exec_call, code)) report.shell_commands.push_back(std::move(command));
  }
  if (language == CodeLanguage::perl || language == CodeLanguage::ruby || language == CodeLanguage::php) {
    for (auto& command : captures(*backticks, code)) report.shell_commands.push_back(std::move(command));
  }
}

void analyze_program(CodeLanguage language, std::string_view code, CodeReport& report) {
  static const auto* const socket =
      compile(R"(socket|fsockopen|TCPSocket|net\.connect|new\s+net\.|/dev/tcp/)").release();
  static const auto* const shell_io =
      compile(R"(dup2|pty\.spawn|/bin/(ba|z|da)?sh|cmd\.exe|\bexec\s*\(|child_process|spawn\()").release();
  static const auto* const fork_bomb =
      compile(
          R"(fork\s*while\s*fork|while\s*\(?\s*(true|1)\s*\)?\s*[:{]?\s*(os\.)?fork\s*\(|for\s*\(\s*;\s*;\s*\)\s*\{?\s*fork)")
          .release();
  static const auto* const obfuscated =
      compile(
          R"re((exec|eval|system)\s*\(\s*(base64\.b64decode|__import__\(\s*["'](base64|zlib|codecs)|atob|Buffer\.from|base64_decode|gzinflate|str_rot13|codecs\.decode|zlib\.decompress|bytes\.fromhex|unpack|decode_base64|Base64\.decode64))re")
          .release();
  static const auto* const download =
      compile(
          R"(urlopen|urllib|requests\.(get|post)|http\.get|https\.get|fetch\s*\(|LWP|open-uri|Net::HTTP|file_get_contents\s*\(\s*.https?:)")
          .release();
  static const auto* const run = compile(R"(\bexec\s*\(|\beval\s*\(|system\s*\(|subprocess|child_process)").release();
  static const auto* const any_system =
      compile(R"(os\.system|subprocess|popen|\bsystem\s*\(|\bexec\w*\s*\(|child_process|shell_exec|passthru|`)")
          .release();
  if (contains(*socket, code) && contains(*shell_io, code)) report.rules.push_back("code.reverse_shell");
  // A loop with no end that starts processes without waiting for them.
  static const auto* const endless =
      compile(
          R"(\bwhile\s*\(?\s*(true|1)\s*\)?|\bloop\s*(\{|do\b)|for\s*\(\s*;\s*;\s*\)|iter\s*\(\s*int\s*,|itertools\.count|\b(fork|spawn)\b.*\bwhile\b)")
          .release();
  static const auto* const spawns = compile(R"(\bfork\b|pcntl_fork|\bspawn\s*\(|Process\.spawn|Popen\s*\()").release();
  if (contains(*fork_bomb, code) || (contains(*endless, code) && contains(*spawns, code))) {
    report.rules.push_back("code.fork_bomb");
  }
  if (contains(*obfuscated, code)) report.rules.push_back("code.obfuscated");
  if (contains(*download, code) && contains(*run, code)) report.rules.push_back("code.remote_exec");
  extract_deletions(code, report);
  extract_commands(language, code, report);
  if (report.shell_commands.empty() && report.rules.empty() && contains(*any_system, code)) {
    report.rules.push_back("code.system_call");
  }
}

}  // namespace

CodeReport analyze_code(CodeLanguage language, std::string_view code) {
  CodeReport report;
  switch (language) {
    case CodeLanguage::shell: break;
    case CodeLanguage::sql: analyze_sql(code, report); break;
    case CodeLanguage::redis: analyze_redis(code, report); break;
    case CodeLanguage::mongo: analyze_mongo(code, report); break;
    default: analyze_program(language, code, report); break;
  }
  return report;
}

}  // namespace cmdai::safety
