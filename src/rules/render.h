#pragma once
// Renders a template pattern (template_table.h) with the slots of one
// request. Shell mode quotes every value taken from the request; prose mode
// (explanations) shows values as typed.

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "rules/slots.h"

namespace cmdai::rules {

// The kinds of slot a request can fill; the matcher counts the ones a
// template leaves unused against it.
enum class SlotKind {
  size,
  age,
  extension,
  path,
  file,
  url,
  host,
  remote,
  quoted,
  port,
  count,
  number,
  mode,
  date,
  variable,
  assignment,
  time_zone,
};
inline constexpr std::size_t k_slot_kinds = 17;

std::optional<SlotKind> parse_slot_kind(std::string_view name);
bool has_slot(const Slots& slots, SlotKind kind);

enum class RenderMode { shell, prose };

// What a rendering took from the request.
struct SlotUsage {
  std::bitset<k_slot_kinds> kinds;
  std::vector<std::size_t> words;  // indexes into Slots::words taken by after:/before:
};

// True when `alternative` is something a placeholder may name (a slot,
// "after:...", "=literal", "?" ...), so the library can be checked whole.
bool is_placeholder_alternative(std::string_view alternative);

// nullopt when a placeholder without a default cannot be filled.
std::optional<std::string> render_pattern(std::string_view pattern, const Slots& slots, Userland userland,
                                          RenderMode mode, SlotUsage& usage);

}  // namespace cmdai::rules
