# SPDX-License-Identifier: Apache-2.0
# Every third-party dependency comes from Debian 12 packages (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

pkg_check_modules(HWY REQUIRED IMPORTED_TARGET libhwy)  # PkgConfig::HWY
find_package(nlohmann_json 3 REQUIRED)
# VIGIL_ENGINE_ONLY (the arm64 cross build): the engine needs only the above.
if(NOT VIGIL_ENGINE_ONLY)
find_package(yaml-cpp REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs videoio)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)  # PkgConfig::HTTPLIB
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET libmosquitto)
endif()
if(VIGIL_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()

# Shared path of the golden data (../shared next to the checkout).
set(VIGIL_SHARED_DIR "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH "shared/ reference data")
