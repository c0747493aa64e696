#pragma once
// RingBuffer: the last N values pushed, oldest overwritten first. Used for
// the recent request samples and health observations of each instance.
// Not thread-safe; its owner locks.

#include <cstddef>
#include <vector>

namespace cmdai::routing {

template <typename T>
class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}

  void push(T value) {
    if (m_values.size() < m_capacity) {
      m_values.push_back(std::move(value));
    } else {
      m_values[m_next] = std::move(value);
    }
    m_next = (m_next + 1) % m_capacity;
  }

  std::size_t size() const { return m_values.size(); }
  std::size_t capacity() const { return m_capacity; }
  bool empty() const { return m_values.empty(); }
  void clear() {
    m_values.clear();
    m_next = 0;
  }

  // Calls fn(value) from the oldest to the newest value.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    const std::size_t start = m_values.size() < m_capacity ? 0 : m_next;
    for (std::size_t i = 0; i < m_values.size(); ++i) fn(m_values[(start + i) % m_values.size()]);
  }

 private:
  std::size_t m_capacity;
  std::size_t m_next = 0;
  std::vector<T> m_values;
};

}  // namespace cmdai::routing
