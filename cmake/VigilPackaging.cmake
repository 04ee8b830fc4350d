# SPDX-License-Identifier: Apache-2.0
# Install layout and CPack .deb packaging (deploy/README.md): /usr/bin/vigil,
# the systemd unit, tmpfiles, udev rules and /etc/vigil/config.yaml (a
# conffile). `cpack -G DEB` in a build dir makes vigil_<ver>_<arch>.deb.
if(NOT TARGET vigil)
  return()  # engine-only builds ship no appliance
endif()

set(_fw ${PROJECT_SOURCE_DIR}/firmware)
install(TARGETS vigil RUNTIME DESTINATION bin)
install(FILES ${_fw}/systemd/vigil.service DESTINATION /lib/systemd/system)
install(FILES ${_fw}/tmpfiles.d/vigil.conf DESTINATION /usr/lib/tmpfiles.d)
install(FILES ${_fw}/udev/70-vigil-cameras.rules
        DESTINATION /lib/udev/rules.d)
install(FILES ${_fw}/config/config.yaml DESTINATION /etc/vigil)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION share/doc/vigil)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "vigil maintainers <vigil@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "home-camera vision appliance with on-device Gemma 4")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Pulls snapshots from household cameras, files them in dated folders\n"
    "with a SQLite index, describes them with Gemma 4 E2B/E4B on the device\n"
    "and serves a local web gallery. Runs as the vigil systemd service.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "http://localhost/vigil")
set(CPACK_STRIP_FILES ON)
# Library Depends from dpkg-shlibdeps (versions of the bookworm runtime
# libs the binary links); adduser for the postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd, udev")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
  # Sysroot cross build (deploy/build-deb-arm64.sh): dpkg-shlibdeps finds
  # the arm64 libraries and their shlibs/symbols in the sysroot, so the
  # Depends are computed as for amd64 (cmake/VigilCPackSysroot.cmake).
  if(CMAKE_SYSROOT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
        ${CMAKE_SYSROOT}/lib/aarch64-linux-gnu
        ${CMAKE_SYSROOT}/usr/lib/aarch64-linux-gnu)
    set(CPACK_VIGIL_SYSROOT ${CMAKE_SYSROOT})
    set(CPACK_PROJECT_CONFIG_FILE
        ${PROJECT_SOURCE_DIR}/cmake/VigilCPackSysroot.cmake)
  endif()
endif()
include(CPack)
