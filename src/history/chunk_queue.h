#pragma once
// A bounded queue between one producing and one consuming thread: an
// import's records go from the thread that reads and prepares them to the
// thread that writes them, a chunk at a time, with at most `capacity`
// chunks waiting (the producer waits when the writer falls behind).
//
// The producer ends the stream with close(), passing the exception it gave
// up with, if any; the consumer then sees the end (pop() returns nullopt)
// and asks failure(). A consumer that gives up stops the producer through
// the producer's std::stop_token (std::jthread's destructor requests it):
// a push() waiting for room then returns false.
//
// Thread safety: every member may be called from either thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stop_token>
#include <utility>

namespace cmdai::history {

template <typename Chunk>
class ChunkQueue {
 public:
  explicit ChunkQueue(std::size_t capacity) : m_capacity(capacity > 0 ? capacity : 1) {}

  // Waits for room. false (and the chunk dropped) when stop was requested.
  bool push(Chunk chunk, std::stop_token stop) {
    std::unique_lock lock(m_mutex);
    if (!m_changed.wait(lock, stop, [this] { return m_chunks.size() < m_capacity; })) return false;
    m_chunks.push_back(std::move(chunk));
    m_changed.notify_all();
    return true;
  }

  // Waits for a chunk; nullopt once the queue is closed and empty.
  std::optional<Chunk> pop() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_chunks.empty() || m_closed; });
    if (m_chunks.empty()) return std::nullopt;
    std::optional<Chunk> chunk(std::move(m_chunks.front()));
    m_chunks.pop_front();
    m_changed.notify_all();
    return chunk;
  }

  // Adds the chunk if there is room, without waiting. false: the queue is
  // full, and the chunk is left with the caller.
  bool try_push(Chunk&& chunk) {
    std::lock_guard lock(m_mutex);
    if (m_chunks.size() >= m_capacity) return false;
    m_chunks.push_back(std::move(chunk));
    m_changed.notify_all();
    return true;
  }

  // A waiting chunk, without waiting for one: nullopt when there is none.
  std::optional<Chunk> try_pop() {
    std::lock_guard lock(m_mutex);
    if (m_chunks.empty()) return std::nullopt;
    std::optional<Chunk> chunk(std::move(m_chunks.front()));
    m_chunks.pop_front();
    m_changed.notify_all();
    return chunk;
  }

  // No more chunks. `failure`: why the producer stopped early (null: it
  // produced everything).
  void close(std::exception_ptr failure = nullptr) {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_failure = std::move(failure);
    m_changed.notify_all();
  }

  std::exception_ptr failure() const {
    std::lock_guard lock(m_mutex);
    return m_failure;
  }

 private:
  const std::size_t m_capacity;
  mutable std::mutex m_mutex;
  std::condition_variable_any m_changed;
  std::deque<Chunk> m_chunks;
  bool m_closed = false;
  std::exception_ptr m_failure;
};

}  // namespace cmdai::history
