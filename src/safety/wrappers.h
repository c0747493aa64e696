#pragma once
// Wrappers that run another command: sudo, doas, env, nice, timeout, xargs,
// ssh, watch, su -c ... unwrap() turns "sudo -u x nice -n 5 rm -rf /" into
// the call the wrapper will run ("rm -rf /", elevated), or into shell code
// to re-parse (su -c CODE, ssh host CODE, watch CODE).

#include <string>

#include "safety/call.h"

namespace cmdai::safety {

enum class UnwrapKind {
  none,     // call is not a wrapper
  call,     // call now holds the wrapped command
  code,     // run this shell code (UnwrapResult::code) as the wrapped command
  nothing,  // the wrapper runs nothing (sudo -l, command -v x, env alone prints the environment)
};

struct UnwrapResult {
  UnwrapKind kind = UnwrapKind::none;
  std::string code;
  bool preload = false;  // env LD_PRELOAD=... or similar
};

UnwrapResult unwrap(Call& call);

}  // namespace cmdai::safety
