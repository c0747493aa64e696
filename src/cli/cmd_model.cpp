// cmdai model list|pull NAME|rm NAME|path [NAME]: the local GGUF models.

#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "llm/model_store.h"

namespace cmdai::cli {
namespace {

std::string human_size(std::uint64_t bytes) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  if (bytes >= (1ULL << 30)) {
    out << static_cast<double>(bytes) / (1ULL << 30) << " GB";
  } else {
    out << static_cast<double>(bytes) / (1ULL << 20) << " MB";
  }
  return out.str();
}

std::uint64_t installed_size(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

ExitCode model_list(Invocation& inv) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : llm::model_catalog()) {
    const auto path = inv.paths.models_dir / e.file;
    const auto size = installed_size(path);
    out.push_back({{"name", e.name},
                   {"kind", e.kind == llm::ModelKind::chat ? "chat" : "embedding"},
                   {"installed", size > 0},
                   {"path", path.string()},
                   {"size", size},
                   {"description", e.description}});
  }
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, out);
    return ExitCode::ok;
  }
  for (const auto& m : out) {
    const std::string name = m["name"];
    inv.out << (m["installed"].get<bool>() ? "* " : "  ") << name
            << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << std::setw(10)
            << m["kind"].get<std::string>() << "  " << m["description"].get<std::string>() << "\n";
  }
  inv.out << dim(inv.color) << "* installed in " << inv.paths.models_dir.string() << reset_color(inv.color) << "\n";
  return ExitCode::ok;
}

// "[#####.....]  42%  12.3 MB / 30.1 MB" on one stderr line.
void draw_bar(std::ostream& err, const llm::DownloadProgress& p) {
  err << "\r\033[K";
  if (p.total > 0) {
    const auto percent = static_cast<int>(100.0 * static_cast<double>(p.received) / static_cast<double>(p.total));
    err << "[" << std::string(static_cast<std::size_t>(percent / 5), '#')
        << std::string(static_cast<std::size_t>(20 - percent / 5), '.') << "] " << std::setw(3) << percent << "%  ";
  }
  err << human_size(p.received);
  if (p.total > 0) err << " / " << human_size(p.total);
  err << std::flush;
}

ExitCode model_pull(Invocation& inv, const std::string& name) {
  auto entry = llm::find_catalog_entry(name);
  if (!entry) return report_error(inv, entry.error());
  const auto& e = **entry;
  llm::DownloadRequest request;
  request.url = std::string(e.url);
  if (auto mirror = inv.env.get_var("CMDAI_MODEL_MIRROR"); mirror && !mirror->empty()) {
    request.url = *mirror + "/" + std::string(e.file);
  }
  request.destination = inv.paths.models_dir / e.file;
  request.sha256 = std::string(e.sha256);
  request.size = e.size;
  if (installed_size(request.destination) > 0) {
    inv.out << e.name << " is already installed: " << request.destination.string() << "\n";
    return ExitCode::ok;
  }
  const bool bar = inv.env.is_terminal(2) && inv.format == OutputFormat::plain;
  std::stop_source stop;
  Result<llm::DownloadResult> result = fail(ErrorCode::internal, "not run");
  {
    InterruptScope interrupts(stop);
    result = llm::download_model(
        request,
        [&](const llm::DownloadProgress& p) {
          if (bar) draw_bar(inv.err, p);
        },
        stop.get_token());
  }
  if (bar) inv.err << "\r\033[K" << std::flush;
  if (!result) return report_error(inv, result.error());
  inv.out << "installed " << e.name << " (" << human_size(result->bytes) << ") at " << result->path.string() << "\n";
  inv.out << "  sha256 " << result->sha256
          << (e.sha256.empty() ? " (not pinned in the catalog; not verified)" : " (verified)") << "\n";
  return ExitCode::ok;
}

ExitCode model_rm(Invocation& inv, const std::string& name) {
  auto entry = llm::find_catalog_entry(name);
  if (!entry) return report_error(inv, entry.error());
  const auto path = inv.paths.models_dir / (*entry)->file;
  std::error_code ec;
  const bool removed = std::filesystem::remove(path, ec);
  std::filesystem::remove(path.string() + ".part", ec);
  if (!removed) return report_error(inv, Error{ErrorCode::not_found, name + " is not installed", "cmdai model list"});
  inv.out << "removed " << path.string() << "\n";
  return ExitCode::ok;
}

}  // namespace

ExitCode run_model(Invocation& inv) {
  const std::string action = inv.words.empty() ? "list" : inv.words[0];
  const std::string name = inv.words.size() > 1 ? inv.words[1] : "";
  if (action == "list") return model_list(inv);
  if (action == "path") {
    if (name.empty()) {
      inv.out << inv.paths.models_dir.string() << "\n";
      return ExitCode::ok;
    }
    auto entry = llm::find_catalog_entry(name);
    if (!entry) return report_error(inv, entry.error());
    inv.out << (inv.paths.models_dir / (*entry)->file).string() << "\n";
    return ExitCode::ok;
  }
  if ((action == "pull" || action == "rm") && name.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "cmdai model " + action + " needs a model name",
                                   "see: cmdai model list"});
  }
  if (action == "pull") return model_pull(inv, name);
  if (action == "rm") return model_rm(inv, name);
  return report_error(inv, Error{ErrorCode::invalid_argument, "unknown model command '" + action + "'",
                                 "use: cmdai model list|pull NAME|rm NAME|path [NAME]"});
}

}  // namespace cmdai::cli
