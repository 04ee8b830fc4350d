// SPDX-License-Identifier: Apache-2.0
// `vigil passwd`: hash a password for `web: password_hash:`.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "app/cli.h"
#include "app/commands/commands.h"
#include "web/auth.h"

namespace vigil::app {
namespace {

// Reads one line from stdin; without echo when stdin is a terminal.
std::string ReadSecretLine(const char* prompt, bool tty) {
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~ECHO;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int RunPasswd(const Args& args) {
  bool from_stdin = false;
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << CommandHelp("passwd");
      return kExitOk;
    }
    if (a != "--stdin") return Fail(kExitUsage, "unknown option '" + a + "'");
    from_stdin = true;
  }
  bool tty = !from_stdin && isatty(STDIN_FILENO);
  std::string pw = ReadSecretLine("new gallery password: ", tty);
  if (tty && ReadSecretLine("again: ", tty) != pw) {
    return Fail(kExitUsage, "the two passwords differ");
  }
  if (pw.size() < 8) {
    return Fail(kExitUsage, "the password needs at least 8 characters, got " +
                                std::to_string(pw.size()));
  }
  std::cout << web::HashPassword(pw) << "\n";
  std::cerr << "put it in the config as   web:\n"
               "                            password_hash: \"<the line above>\"\n";
  return kExitOk;
}

}  // namespace vigil::app
