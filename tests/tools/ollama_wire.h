#pragma once
// Ollama's documented wire format (docs/api.md), byte for byte: the lines
// POST /api/chat streams, the final "done" object, error objects, and the
// bodies of GET /api/tags and POST /api/show. Used with LoopbackServer to
// stand in for Ollama, which cannot be installed here.

#include <string>
#include <vector>

#include "tools/loopback_server.h"

namespace cmdai::testing::ollama_wire {

inline std::string chat_line(const std::string& model, const std::string& content_json) {
  return "{\"model\":\"" + model +
         "\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":"
         "\"assistant\",\"content\":" +
         content_json + "},\"done\":false}\n";
}

inline std::string done_line(const std::string& model) {
  return "{\"model\":\"" + model +
         "\",\"created_at\":\"2023-08-04T19:22:45.499127Z\",\"message\":{\"role\":"
         "\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":4883583458,"
         "\"load_duration\":1334875,\"prompt_eval_count\":26,\"prompt_eval_duration\":342546000,\"eval_count\":7,"
         "\"eval_duration\":4535599000}\n";
}

// The answer {"command": "ls -la", "explanation": "Lists files."} in the
// token-sized pieces a model streams.
inline std::vector<std::string> answer_chunks(const std::string& model, bool with_done = true) {
  std::vector<std::string> out;
  for (const char* piece : {R"("{\"command\": \"")", R"("ls")", R"(" -la")", R"("\", \"explanation\": \"")",
                            R"("Lists files.")", R"("\"}")"}) {
    out.push_back(chat_line(model, piece));
  }
  if (with_done) out.push_back(done_line(model));
  return out;
}

inline std::string not_found_body(const std::string& model) {
  return "{\"error\":\"model '" + model + "' not found, try pulling it first\"}";
}

inline std::string tags_body() {
  return R"({"models":[{"name":"qwen2.5-coder:1.5b","model":"qwen2.5-coder:1.5b","modified_at":"2024-10-01T12:00:00.000000Z",)"
         R"("size":986061892,"digest":"6d3abb8d2d53","details":{"parent_model":"","format":"gguf","family":"qwen2",)"
         R"("families":["qwen2"],"parameter_size":"1.5B","quantization_level":"Q4_K_M"}}]})";
}

// One /api/tags entry as Ollama writes it; family "nomic-bert" or "bert"
// for embedding models (nomic-embed-text, all-minilm).
inline std::string tags_entry(const std::string& name, const std::string& family) {
  return R"({"name":")" + name + R"(","model":")" + name +
         R"(","modified_at":"2024-10-01T12:00:00.000000Z","size":274302450,"digest":"0a109f422b47",)"
         R"("details":{"parent_model":"","format":"gguf","family":")" +
         family + R"(","families":[")" + family + R"("],"parameter_size":"137M","quantization_level":"F16"}})";
}

inline std::string tags_body_of(const std::vector<std::string>& entries) {
  std::string out = R"({"models":[)";
  for (std::size_t i = 0; i < entries.size(); ++i) out += (i == 0 ? "" : ",") + entries[i];
  return out + "]}";
}

// The reply of POST /api/embed: one vector per input, in order.
inline std::string embed_body(const std::string& model, const std::vector<std::vector<float>>& vectors) {
  std::string out = R"({"model":")" + model + R"(","embeddings":[)";
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    out += i == 0 ? "[" : ",[";
    for (std::size_t k = 0; k < vectors[i].size(); ++k) out += (k == 0 ? "" : ",") + std::to_string(vectors[i][k]);
    out += "]";
  }
  return out + R"(],"total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8})";
}

// A stand-in embedding for a test server: 8 dimensions counting the text's
// bytes by their value modulo 8 (spelling, not meaning, but deterministic).
inline std::vector<float> spelling_vector(const std::string& text) {
  std::vector<float> v(8, 0.0F);
  for (unsigned char c : text) v[c % 8] += 1.0F;
  return v;
}

inline std::string show_body() {
  return R"({"modelfile":"# Modelfile","parameters":"stop \"<|im_end|>\"","template":"{{ .Prompt }}",)"
         R"("details":{"parent_model":"","format":"gguf","family":"qwen2","families":["qwen2"],)"
         R"("parameter_size":"1.5B","quantization_level":"Q4_K_M"},"model_info":{"general.architecture":"qwen2",)"
         R"("general.parameter_count":1543714304,"qwen2.context_length":32768,"qwen2.embedding_length":1536}})";
}

inline ScriptedResponse ndjson(std::vector<std::string> chunks) {
  ScriptedResponse r;
  r.content_type = "application/x-ndjson";
  r.chunks = std::move(chunks);
  return r;
}

inline ScriptedResponse json_body(int status, std::string body) {
  ScriptedResponse r;
  r.status = status;
  r.chunks = {std::move(body)};
  r.chunked = false;
  return r;
}

}  // namespace cmdai::testing::ollama_wire
