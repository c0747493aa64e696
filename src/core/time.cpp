#include "core/time.h"

#include <charconv>
#include <chrono>

namespace cmdai {
namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  const char* begin = text.data() + pos;
  for (std::size_t i = 0; i < width; ++i) {
    if (begin[i] < '0' || begin[i] > '9') return false;
  }
  return std::from_chars(begin, begin + width, out).ec == std::errc{};
}

// `value` (below 10^width) as `width` decimal digits, zero-padded, at `out`.
void put_digits(char* out, long value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

Result<Timestamp> invalid(std::string_view text) {
  return fail(ErrorCode::invalid_argument, "'" + std::string(text) + "' is not an ISO-8601 UTC timestamp",
              "use a form like 2026-12-01T06:30:00Z");
}

}  // namespace

std::string format_iso8601(Timestamp time) {
  using namespace std::chrono;
  const auto micros = time_point_cast<microseconds>(time);
  const auto day = floor<days>(micros);
  const year_month_day ymd{day};
  const hh_mm_ss hms{micros - day};
  // Every field in its fixed width, as "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ"
  // would write it, without printf (an import formats a million of these).
  // A Timestamp's years are 1677-2262 (nanoseconds in 64 bits).
  std::string text = "0000-00-00T00:00:00.000000Z";
  put_digits(&text[0], static_cast<int>(ymd.year()), 4);
  put_digits(&text[5], static_cast<unsigned>(ymd.month()), 2);
  put_digits(&text[8], static_cast<unsigned>(ymd.day()), 2);
  put_digits(&text[11], hms.hours().count(), 2);
  put_digits(&text[14], hms.minutes().count(), 2);
  put_digits(&text[17], hms.seconds().count(), 2);
  put_digits(&text[20], hms.subseconds().count(), 6);
  return text;
}

Result<Timestamp> parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_int(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !read_int(text, 5, 2, mo) || text[7] != '-' ||
      !read_int(text, 8, 2, d)) {
    return invalid(text);
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return invalid(text);
  sys_time<microseconds> result = sys_days{ymd};
  if (text.size() == 10) return Timestamp{duration_cast<Clock::duration>(result.time_since_epoch())};

  if ((text[10] != 'T' && text[10] != ' ') || !read_int(text, 11, 2, h) || text.size() < 19 || text[13] != ':' ||
      !read_int(text, 14, 2, mi) || text[16] != ':' || !read_int(text, 17, 2, s) || h > 23 || mi > 59 || s > 60) {
    return invalid(text);
  }
  result += hours{h} + minutes{mi} + seconds{s};
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    long long fraction = 0;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        fraction = fraction * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return invalid(text);
    while (digits < 6) {
      fraction *= 10;
      ++digits;
    }
    result += microseconds{fraction};
  }
  if (pos == text.size()) return invalid(text);  // a zone is required
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    return Timestamp{duration_cast<Clock::duration>(result.time_since_epoch())};
  }
  int oh = 0, om = 0;
  if ((text[pos] != '+' && text[pos] != '-') || !read_int(text, pos + 1, 2, oh) || text.size() != pos + 6 ||
      text[pos + 3] != ':' || !read_int(text, pos + 4, 2, om)) {
    return invalid(text);
  }
  const auto offset = hours{oh} + minutes{om};
  result += text[pos] == '+' ? -offset : offset;
  return Timestamp{duration_cast<Clock::duration>(result.time_since_epoch())};
}

Timestamp from_unix_seconds(long long seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

long long to_unix_seconds(Timestamp time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace cmdai
