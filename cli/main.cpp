#include <unistd.h>

#include <iostream>

#include "cli/driver.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  aipol::Streams streams{std::cin, std::cout, std::cerr, isatty(STDOUT_FILENO) != 0,
                         isatty(STDERR_FILENO) != 0};
  int code = aipol::RunAipolOnLargeStack(args, streams);
  std::cout.flush();
  return code;
}
