#pragma once
// LoopbackServer: a tiny scripted HTTP/1.1 server on 127.0.0.1 and a port the
// OS picks, for tests that need a real socket: the Ollama wire-format replay,
// slow or stalled servers, and model downloads with Range requests.
//
// Each request is answered by the handler's ScriptedResponse, whose body
// chunks are written byte for byte (chunked transfer encoding, as Ollama
// streams). One connection is served at a time; keep-alive is honoured.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cmdai::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct ScriptedResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::string> chunks;  // body pieces, each written (and flushed) on its own
  bool chunked = true;              // false: Content-Length framing
  std::vector<std::string> extra_headers;
  // After this many chunks, wait until release() (or stop) before writing the
  // rest; -1: never wait.
  int hold_after = -1;
  bool close_early = false;  // drop the connection after the chunks, without the final chunk
};

class LoopbackServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return m_port; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  // Lets a held response continue.
  void release();
  // The requests served so far.
  std::vector<RecordedRequest> requests() const;
  int connections() const;

 private:
  void serve();
  void serve_connection(int fd);
  bool wait_for_release(int fd);

  Handler m_handler;
  int m_listen_fd = -1;
  int m_wake[2] = {-1, -1};
  int m_port = 0;
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_released = false;
  bool m_stopping = false;
  int m_connections = 0;
  std::vector<RecordedRequest> m_requests;
  std::thread m_thread;
};

}  // namespace cmdai::testing
