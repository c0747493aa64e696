#pragma once
// Whether anything accepts TCP connections at an endpoint's host and port,
// asked of many endpoints at once with non-blocking connects and one poll.
// Discovery uses it before any HTTP: a closed loopback port refuses within
// microseconds, so looking for four servers that are not running costs far
// less than one HTTP request (and never loads libcurl).
//
// Only numeric hosts (127.0.0.1, [::1], 192.0.2.7) are checked here; a host
// name is `unknown` and left to the HTTP probe, which resolves it with its
// own timeouts.

#include <chrono>
#include <span>
#include <string>
#include <vector>

namespace cmdai::routing {

enum class PortState { accepting, refused, unknown };

// One state per endpoint (an http(s) URL), in order. Never takes longer
// than timeout; a connect still pending then is `unknown`.
std::vector<PortState> check_ports(std::span<const std::string> endpoints, std::chrono::milliseconds timeout);

}  // namespace cmdai::routing
