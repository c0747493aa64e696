#pragma once
// A few metadata values of a GGUF model file, read from its header alone:
// values not asked for (a tokenizer's tens of thousands of tokens) are
// skipped, not copied, so reading what an embedding model is costs a
// fraction of a millisecond instead of parsing the whole header.
//
// GGUF versions 2 and 3 (what llama.cpp writes and loads). Thread-safe: no
// state beyond the call.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "core/error.h"

namespace cmdai::semantic {

// A wanted key's value: a string, an unsigned integer (any width, from an
// unsigned type), or present with a value of another type (an array, a float,
// a signed integer).
struct GgufOther {};
using GgufValue = std::variant<std::string, std::uint64_t, GgufOther>;

// The values of the keys in `wanted` that the file has; a key it lacks is
// absent from the map. Errors: unavailable (not a readable GGUF file of a
// known version, or a header that ends early or holds impossible sizes).
Result<std::map<std::string, GgufValue>> read_gguf_metadata(const std::filesystem::path& path,
                                                            const std::set<std::string>& wanted);

}  // namespace cmdai::semantic
