#pragma once
// ISO-8601 UTC timestamps, the only time format cmdai stores or prints.

#include <string>
#include <string_view>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai {

// "2026-12-01T06:30:00.123456Z" (microsecond precision, always UTC).
std::string format_iso8601(Timestamp time);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" and a plain date
// "YYYY-MM-DD" (midnight UTC). Offsets are converted to UTC.
Result<Timestamp> parse_iso8601(std::string_view text);

// Seconds since the Unix epoch, as shell history files store them.
Timestamp from_unix_seconds(long long seconds);
long long to_unix_seconds(Timestamp time);

}  // namespace cmdai
