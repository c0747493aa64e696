// cmdai: the binary. Everything else lives in the library (src/cli and below).

#include "cli/commands.h"
#include "core/env.h"

int main(int argc, char** argv) {
  cmdai::RealEnv env;
  return cmdai::cli::run(argc, argv, env);
}
