// tcpref-server: see --help and docs/SERVER.md.
#include <cstdio>
#include <string_view>
#include <vector>

#include "impl/server/options.h"
#include "impl/server/server.h"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const tcpref::server::ParsedArgs parsed = tcpref::server::parse_args(args);
  if (parsed.help) {
    const std::string_view help = tcpref::server::help_text();
    std::fwrite(help.data(), 1, help.size(), stdout);
    return 0;
  }
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "tcpref-server: %s\n", parsed.error.c_str());
    return 2;
  }
  return tcpref::server::run_server(parsed.options);
}
