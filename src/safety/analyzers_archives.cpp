// tar, unzip, zip and the compressors: extracting writes files where the
// archive says (over / it replaces system files), creating writes the
// archive file (on a disk device it destroys the disk), and an archive of
// secrets sent to stdout carries them down the pipe.

#include <algorithm>

#include "safety/call.h"

namespace cmdai::safety {
namespace {

struct TarMode {
  char mode = 0;  // 'x' extract, 'c' create (also r, u), 't' list, 0 unknown
  std::optional<std::string> file;
  std::optional<std::string> directory;
  std::vector<const Arg*> operands;
};

// tar's three option styles: "xzf a.tgz" (old: values follow in the order of
// their letters), "-xzf a.tgz" and "--extract --file=a.tgz".
TarMode parse_tar(const Call& call) {
  TarMode t;
  std::vector<char> wanting;  // letters still waiting for their value
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    const bool old_style = i == 0 && !a.starts_with("-") && a.find_first_of("xctru") != std::string::npos &&
                           a.find('/') == std::string::npos && a.find('.') == std::string::npos;
    if (!wanting.empty() && (!a.starts_with("-") || a == "-") && !old_style) {
      (wanting.front() == 'f' ? t.file : t.directory) = a;
      wanting.erase(wanting.begin());
      continue;
    }
    if (a.starts_with("--")) {
      const std::string name = a.substr(0, a.find('='));
      const std::string value = a.find('=') == std::string::npos ? "" : a.substr(a.find('=') + 1);
      if (name == "--extract" || name == "--get") t.mode = 'x';
      if (name == "--create" || name == "--append" || name == "--update") t.mode = 'c';
      if (name == "--list") t.mode = 't';
      if (name == "--file") value.empty() ? wanting.push_back('f') : void(t.file = value);
      if (name == "--directory") value.empty() ? wanting.push_back('C') : void(t.directory = value);
      continue;
    }
    if (old_style || (a.size() > 1 && a[0] == '-')) {
      for (std::size_t j = old_style ? 0 : 1; j < a.size(); ++j) {
        const char c = a[j];
        if (c == 'x' || c == 't') t.mode = c;
        if (c == 'c' || c == 'r' || c == 'u') t.mode = 'c';
        if (c != 'f' && c != 'C') continue;
        if (!old_style && j + 1 < a.size()) {
          (c == 'f' ? t.file : t.directory) = a.substr(j + 1);
          break;
        }
        wanting.push_back(c);
      }
      continue;
    }
    t.operands.push_back(&call.args[i]);
  }
  return t;
}

bool emits_secrets(const std::vector<const Arg*>& operands, const ValidationContext& context) {
  return std::any_of(operands.begin(), operands.end(),
                     [&](const Arg* a) { return is_secret_path(resolve(*a, context), context); });
}

// Where software is installed by unpacking it (/opt, /srv, /var/www,
// /usr/local): a system directory, but not one the system runs from.
bool unpack_target(std::string_view path) {
  for (std::string_view dir : {"/opt", "/srv", "/var/www", "/usr/local", "/home", "/mnt", "/media"}) {
    if (path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/')) return true;
  }
  return false;
}

// Extracting into dir: over /, a system directory or a system file it
// replaces what the system runs on; into an install place (tar -C /opt,
// the way Go is installed into /usr/local) it may overwrite installed files.
void rate_extract(const Call& call, Sink& sink, std::string_view dir) {
  const auto p = resolve_path(dir, false, sink.context());
  const bool system = p.scope == Scope::root || p.scope == Scope::system || p.scope == Scope::critical_file;
  if (system && !unpack_target(p.path)) return sink.add("files.extract_system", call, "extracts into " + p.path);
  if (system || p.scope == Scope::system_inner) {
    return sink.add("files.overwrite_system", call, "extracts into " + p.path);
  }
  sink.add("files.extract", call);
}

void analyze_tar(const Call& call, Sink& sink, Facts& facts) {
  const TarMode t = parse_tar(call);
  const auto& context = sink.context();
  if (t.mode == 'x') return rate_extract(call, sink, t.directory.value_or("."));
  if (t.mode != 'c') return;
  if (!t.file || *t.file == "-") {
    facts.emits_secret = emits_secrets(t.operands, context);
    facts.reads_data = true;
    return;
  }
  const auto out = resolve_path(*t.file, false, context);
  const std::string_view rule = rule_for_write(out, false, context);
  if (rule.empty() || rule == "redirect.write") return sink.add("files.archive", call);
  sink.add(rule == "redirect.device" ? "disk.raw_write" : rule, call, "writes the archive to " + out.path);
}

void analyze_unzip(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "dxP", {});
  if (view.has('l') || view.has('t') || view.has('v') || view.has('Z') || view.has('p') || view.has('z')) return;
  if (view.operands().empty()) return;
  rate_extract(call, sink, view.value('d').value_or("."));
}

void analyze_zip(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args, "bnt", {"--temp-path"});
  const auto& ops = view.operands();
  if (ops.empty()) return;
  std::vector<const Arg*> inputs(ops.begin() + 1, ops.end());
  if (ops.front()->text == "-") {
    facts.emits_secret = emits_secrets(inputs, sink.context());
    facts.reads_data = true;
    return;
  }
  const std::string_view rule = rule_for_write(resolve(*ops.front(), sink.context()), false, sink.context());
  sink.add(rule.empty() || rule == "redirect.write" ? "files.archive" : rule, call);
}

// gzip FILE replaces FILE with FILE.gz; with -c, -d to stdout or -l it
// leaves files alone.
void analyze_compressor(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args, "S", {"--suffix"});
  const bool to_stdout = view.has('c') || view.has("--stdout") || view.has("--to-stdout");
  const std::string& p = call.program;
  facts.decodes = view.has('d') || view.has("--decompress") || p == "gunzip" || p == "zcat" || p == "unxz" ||
                  p == "bunzip2" || p == "xzcat";
  for (const Arg* a : view.operands()) {
    if (is_secret_path(resolve(*a, sink.context()), sink.context())) facts.emits_secret = true;
  }
  if (to_stdout || p == "zcat" || p == "xzcat" || view.has('l') || view.has('t') || view.has("--list")) {
    facts.reads_data = !view.operands().empty();
    return;
  }
  if (!view.operands().empty()) sink.add("files.compress", call);
}

constexpr AnalyzerEntry k_entries[] = {
    {"tar", analyze_tar},          {"bsdtar", analyze_tar},       {"unzip", analyze_unzip},
    {"zip", analyze_zip},          {"gzip", analyze_compressor},  {"gunzip", analyze_compressor},
    {"zcat", analyze_compressor},  {"xz", analyze_compressor},    {"unxz", analyze_compressor},
    {"xzcat", analyze_compressor}, {"bzip2", analyze_compressor}, {"bunzip2", analyze_compressor},
    {"zstd", analyze_compressor},
};

}  // namespace

std::span<const AnalyzerEntry> archive_analyzers() { return k_entries; }

}  // namespace cmdai::safety
