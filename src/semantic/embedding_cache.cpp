#include "semantic/embedding_cache.h"

#include <cstring>
#include <map>
#include <optional>

#include "core/hash.h"
#include "core/time.h"

namespace cmdai::semantic {
namespace {

// 64-bit mix of a byte string (FNV-1a core with a murmur-style finaliser);
// two independent seeds give the 128-bit key.
std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = fnv1a64(bytes, k_fnv_offset_basis ^ (seed * 0x9e3779b97f4a7c15ULL));
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

void append_hex(std::string& out, std::uint64_t value) {
  static constexpr char k_digits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out += k_digits[(value >> shift) & 0xF];
}

}  // namespace

std::string content_hash(std::string_view model_id, std::string_view text) {
  std::string keyed;
  keyed.reserve(model_id.size() + 1 + text.size());
  keyed.append(model_id).push_back('\0');
  keyed.append(text);
  std::string out;
  append_hex(out, hash64(keyed, 1));
  append_hex(out, hash64(keyed, 2));
  return out;
}

Result<std::optional<Vector>> EmbeddingCache::lookup(const std::string& key, std::size_t dimensions) {
  auto select = m_db.prepare("SELECT embedding_vector FROM embedding_cache WHERE content_hash = ?1");
  if (!select) return fail(select.error());
  select->bind(1, key);
  auto row = select->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Vector>{};
  const auto bytes = select->column_blob(0);
  if (bytes.size() != dimensions * sizeof(float)) return std::optional<Vector>{};
  Vector vector(dimensions);
  std::memcpy(vector.data(), bytes.data(), bytes.size());
  auto touch = m_db.prepare(
      "UPDATE embedding_cache SET access_count = access_count + 1, last_accessed = ?2 WHERE content_hash = ?1");
  if (!touch) return fail(touch.error());
  touch->bind(1, key).bind(2, format_iso8601(m_env.now()));
  CMDAI_TRY(touch->run());
  return std::optional<Vector>(std::move(vector));
}

Result<bool> EmbeddingCache::holds(const Embedder& embedder, const std::string& text) {
  auto select = m_db.prepare("SELECT length(embedding_vector) FROM embedding_cache WHERE content_hash = ?1");
  if (!select) return fail(select.error());
  select->bind(1, content_hash(embedder.model_id(), text));
  auto row = select->step();
  if (!row) return fail(row.error());
  return *row && static_cast<std::size_t>(select->column_int(0)) == embedder.dimensions() * sizeof(float);
}

Result<void> EmbeddingCache::store(const std::string& key, const Vector& vector) {
  auto insert = m_db.prepare(
      "INSERT OR REPLACE INTO embedding_cache (content_hash, embedding_vector, created_at, access_count, "
      "last_accessed) VALUES (?1, ?2, ?3, 1, ?3)");
  if (!insert) return fail(insert.error());
  insert->bind(1, key).bind_blob(2, vector.data(), vector.size() * sizeof(float));
  insert->bind(3, format_iso8601(m_env.now()));
  return insert->run();
}

Result<std::vector<Vector>> EmbeddingCache::embed(Embedder& embedder, std::span<const std::string> texts) {
  const std::string model = embedder.model_id();
  std::vector<Vector> out(texts.size());
  // Texts not in the cache, each once, and which output slots each fills.
  std::map<std::string, std::size_t> batch_slot;
  std::vector<std::string> batch_texts;
  std::vector<std::pair<std::size_t, std::size_t>> fills;  // (output index, batch index)
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string key = content_hash(model, texts[i]);
    auto cached = lookup(key, embedder.dimensions());
    if (!cached) return fail(cached.error());
    if (*cached) {
      out[i] = std::move(**cached);
      ++m_stats.hits;
      continue;
    }
    auto [slot, added] = batch_slot.emplace(std::move(key), batch_texts.size());
    if (added) batch_texts.push_back(texts[i]);
    fills.emplace_back(i, slot->second);
  }
  if (batch_texts.empty()) return out;
  auto fresh = embedder.embed(batch_texts);
  if (!fresh) return fail(fresh.error());
  if (fresh->size() != batch_texts.size()) {
    return fail(ErrorCode::internal, "the embedder returned " + std::to_string(fresh->size()) + " vectors for " +
                                         std::to_string(batch_texts.size()) + " texts");
  }
  auto transaction = store::Transaction::begin(m_db);
  if (!transaction) return fail(transaction.error());
  for (const auto& [key, slot] : batch_slot) CMDAI_TRY(store(key, (*fresh)[slot]));
  CMDAI_TRY(transaction->commit());
  m_stats.misses += static_cast<std::int64_t>(batch_texts.size());
  for (auto [index, slot] : fills) out[index] = (*fresh)[slot];
  auto evicted = evict_over_cap();
  if (!evicted) return fail(evicted.error());
  return out;
}

Result<std::int64_t> EmbeddingCache::evict_over_cap() {
  // Rowids span at least as many values as there are rows: when the span
  // fits the cap, so do the rows, without counting them all (a count reads
  // the whole key index on every miss).
  auto span = m_db.query_int("SELECT coalesce(max(rowid) - min(rowid) + 1, 0) FROM embedding_cache");
  if (!span) return fail(span.error());
  if (*span <= m_options.max_entries) return std::int64_t{0};
  auto count = size();
  if (!count) return fail(count.error());
  const std::int64_t excess = *count - m_options.max_entries;
  if (excess <= 0) return std::int64_t{0};
  auto remove = m_db.prepare(
      "DELETE FROM embedding_cache WHERE content_hash IN (SELECT content_hash FROM embedding_cache "
      "ORDER BY last_accessed ASC, access_count ASC LIMIT ?1)");
  if (!remove) return fail(remove.error());
  remove->bind(1, excess);
  CMDAI_TRY(remove->run());
  m_stats.evicted += excess;
  return excess;
}

Result<std::int64_t> EmbeddingCache::size() { return m_db.query_int("SELECT count(*) FROM embedding_cache"); }

}  // namespace cmdai::semantic
