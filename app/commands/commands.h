// SPDX-License-Identifier: Apache-2.0
// The appliance subcommands of `vigil`. Each takes the words after its name
// and returns the process exit code (see app/cli.h).
#pragma once

#include <string>
#include <vector>

namespace vigil::app {

using Args = std::vector<std::string>;

int RunServe(const Args& args);    // serve.cc
int RunSnap(const Args& args);     // snap.cc
int RunCameras(const Args& args);  // list_cameras.cc
int RunReindex(const Args& args);  // reindex.cc
int RunPasswd(const Args& args);   // passwd.cc
int RunCheck(const Args& args);    // check.cc

}  // namespace vigil::app
