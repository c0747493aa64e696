#include "semantic/agent_embedder.h"

#include "semantic/agent_protocol.h"
#include "semantic/agent_socket.h"
#include "semantic/embed_agent.h"

namespace cmdai::semantic {

AgentEmbedder::AgentEmbedder(AgentClientOptions options, std::unique_ptr<Embedder> in_process)
    : m_options(std::move(options)), m_in_process(std::move(in_process)) {}

AgentEmbedder::~AgentEmbedder() {
  if (!m_start_agent) return;
  // The model loaded here is freed first: the fork copies less.
  m_in_process.reset();
  (void)start_embed_agent(
      {m_options.program, m_options.socket, m_options.model_path, m_options.idle, m_options.agent_load});
}

void AgentEmbedder::give_up_on_agent(Error error) {
  m_nothing_listens = error.code == ErrorCode::unavailable;
  m_agent_error = std::move(error);
}

void AgentEmbedder::prefetch() {
  if (m_agent_answered) return;
  if (!m_agent_error) {
    auto probe = ask_once({});
    m_agent_answered = probe.has_value();
    if (probe) return;
    give_up_on_agent(probe.error());
  }
  m_in_process->prefetch();
}

Result<std::vector<Vector>> AgentEmbedder::embed(std::span<const std::string> texts) {
  if (texts.empty()) return std::vector<Vector>{};
  for (const auto& text : texts) CMDAI_TRY(check_embeddable(text));
  if (!m_agent_error) {
    auto answered = ask_agent(texts);
    m_agent_answered = answered.has_value();
    if (answered) return answered;
    give_up_on_agent(answered.error());
  }
  auto embedded = m_in_process->embed(texts);
  if (embedded && m_nothing_listens && !m_options.program.empty()) m_start_agent = true;
  return embedded;
}

// Texts go in requests within the protocol's bounds, in order.
Result<std::vector<Vector>> AgentEmbedder::ask_agent(std::span<const std::string> texts) {
  const std::size_t fixed = 12 + m_options.model_path.native().size() + model_id().size();
  const std::size_t budget = k_max_request_payload - fixed;
  std::vector<Vector> out;
  out.reserve(texts.size());
  std::size_t first = 0;
  while (first < texts.size()) {
    std::size_t end = first;
    std::size_t bytes = 0;
    while (end < texts.size() && end - first < k_max_request_texts && bytes + 4 + texts[end].size() <= budget) {
      bytes += 4 + texts[end].size();
      ++end;
    }
    if (end == first) return fail(ErrorCode::invalid_argument, "a text too long for the embedding agent");
    auto part = ask_once(texts.subspan(first, end - first));
    if (!part) return part;
    for (auto& vector : *part) out.push_back(std::move(vector));
    first = end;
  }
  return out;
}

Result<std::vector<Vector>> AgentEmbedder::ask_once(std::span<const std::string> texts) {
  const auto deadline = std::chrono::steady_clock::now() + m_options.timeout;
  auto connection = connect_agent(m_options.socket, deadline);
  if (!connection) return fail(connection.error());
  const EmbedRequest request{m_options.model_path.string(), model_id(), {texts.begin(), texts.end()}};
  CMDAI_TRY(send_frame(connection->get(), FrameKind::embed_request, encode_request_payload(request), deadline));
  auto reply = receive_frame(connection->get(), k_max_reply_payload, deadline);
  if (!reply) return fail(reply.error());
  if (reply->kind == FrameKind::vectors) return decode_vectors_payload(reply->payload, texts.size(), dimensions());
  auto text = decode_text_payload(reply->payload);
  if (!text) return fail(text.error());
  if (reply->kind == FrameKind::wrong_model) {
    return fail(ErrorCode::invalid_argument, "the embedding agent holds another model (" + *text + ")");
  }
  return fail(ErrorCode::internal, "the embedding agent failed: " + *text);
}

}  // namespace cmdai::semantic
