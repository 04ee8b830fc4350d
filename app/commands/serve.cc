// SPDX-License-Identifier: Apache-2.0
// `vigil serve`: runs the appliance until SIGINT/SIGTERM.
#include <signal.h>

#include <iostream>

#include "app/appliance.h"
#include "app/cli.h"
#include "app/commands/commands.h"
#include "app/sd_notify.h"
#include "common/log.h"

namespace vigil::app {

int RunServe(const Args& args) {
  Result<CommonFlags> flags = ParseCommonFlags(args);
  if (!flags.ok()) return Fail(kExitUsage, flags.status().message());
  if (flags->help) {
    std::cout << CommandHelp("serve");
    return kExitOk;
  }
  if (!flags->positional.empty()) {
    return Fail(kExitUsage, "serve takes no arguments, got '" +
                                flags->positional[0] + "'");
  }
  Result<AppConfig> config = LoadForCommand(*flags);
  if (!config.ok()) return Fail(kExitUsage, config.status().message());

  // Block the stop signals before any thread exists so every thread
  // inherits the mask and only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed client socket is not fatal

  Appliance appliance(std::move(config).value(), std::cout);
  Status s = appliance.Start();
  if (!s.ok()) return Fail(kExitFailure, s.ToString());
  std::cout << "vigil: serving; stop with Ctrl-C" << std::endl;
  // systemd Type=notify: ready once every part is up; watchdog pings.
  (void)SdNotify("READY=1\nSTATUS=serving on port " +
                 std::to_string(appliance.port()));
  SdWatchdog watchdog;
  watchdog.Start();

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::Info("app", std::string("received ") +
                       (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                       ", stopping");
  (void)SdNotify("STOPPING=1");
  watchdog.Stop();
  appliance.Stop();
  return kExitOk;
}

}  // namespace vigil::app
