#pragma once
// Model details a server reports about itself: the context length one
// request may use, capabilities and model family. The health checker asks
// for them after a server answered its health probe, so selection can hold
// model requirements against what the server really runs, not only against
// what the configuration declares.
//
//  - OpenAI-compatible servers (openai, vllm, mlx): GET /props (llama-server:
//    default_generation_settings.n_ctx, the context of one slot; modalities),
//    then GET /v1/models (llama-server: data[].meta.n_ctx and the
//    Ollama-style models[].capabilities; vLLM: data[].max_model_len).
//    /props wins for the context length: with several slots, a request only
//    gets its slot's share of meta.n_ctx.
//  - Ollama: POST /api/show for the instance's model: num_ctx from
//    "parameters" when set (what Ollama really allocates), else
//    model_info["<architecture>.context_length"]; details.family;
//    capabilities.
//
// The parsers take untrusted bytes: anything malformed, of the wrong type or
// out of range (context <= 0 or > 2^24 tokens) is ignored, never a crash.
// Transport goes through llm::HttpTransport (no second HTTP client).

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string_view>

#include "routing/instance.h"
#include "routing/performance_monitor.h"

namespace cmdai::routing {

inline constexpr int k_max_reported_context = 1 << 24;

// Asks the instance's server; nullopt when it reports nothing usable. Never
// takes much longer than timeout; a stop request ends it early.
using ModelInfoProbe =
    std::function<std::optional<ReportedModel>(const BackendInstance&, std::chrono::milliseconds, std::stop_token)>;

// The probe above over HTTP.
ModelInfoProbe http_model_info_probe();

// Parsers of one response body each; nullopt when it tells nothing.
std::optional<ReportedModel> parse_llama_props(std::string_view body);
// model: the instance's model name, to pick its entry; empty: the first one.
std::optional<ReportedModel> parse_openai_models(std::string_view body, std::string_view model);
std::optional<ReportedModel> parse_ollama_show(std::string_view body);

// Fields of `later` fill what `first` leaves empty; capabilities are merged.
ReportedModel merge_reported(ReportedModel first, const ReportedModel& later);

}  // namespace cmdai::routing
