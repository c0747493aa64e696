# Install layout (Debian paths under CMAKE_INSTALL_PREFIX) and the .deb.
# The man page and the completion scripts are written at build time by the
# built cmdai itself, from its subcommand and flag tables (cli/cmd_docs.cpp).
include(GNUInstallDirs)

set(_docs ${PROJECT_BINARY_DIR}/docs)
add_custom_command(
  OUTPUT ${_docs}/cmdai.1 ${_docs}/cmdai.1.gz ${_docs}/cmdai.bash ${_docs}/_cmdai ${_docs}/cmdai.fish
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_docs}
  COMMAND ${CMAKE_COMMAND} -E env CMDAI_HOME=${_docs}/home $<TARGET_FILE:cmdai> man-page > ${_docs}/cmdai.1
  # Debian policy 12.1: man pages gzip -9n (no name or time stamp, so the
  # package is reproducible).
  COMMAND gzip -9nkf ${_docs}/cmdai.1
  COMMAND ${CMAKE_COMMAND} -E env CMDAI_HOME=${_docs}/home $<TARGET_FILE:cmdai> completions bash > ${_docs}/cmdai.bash
  COMMAND ${CMAKE_COMMAND} -E env CMDAI_HOME=${_docs}/home $<TARGET_FILE:cmdai> completions zsh > ${_docs}/_cmdai
  COMMAND ${CMAKE_COMMAND} -E env CMDAI_HOME=${_docs}/home $<TARGET_FILE:cmdai> completions fish > ${_docs}/cmdai.fish
  DEPENDS cmdai
  COMMENT "Writing cmdai.1 and the shell completions"
  VERBATIM)
add_custom_target(cmdai_docs ALL DEPENDS ${_docs}/cmdai.1.gz ${_docs}/cmdai.bash ${_docs}/_cmdai ${_docs}/cmdai.fish)

# llama.cpp is linked statically; every other library is a Debian shared
# library found on the default path, so the installed binary needs no RPATH.
install(TARGETS cmdai RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${_docs}/cmdai.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${_docs}/cmdai.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME cmdai)
install(FILES ${_docs}/_cmdai DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES ${_docs}/cmdai.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

set(CPACK_PACKAGE_NAME cmdai)
set(CPACK_PACKAGE_CONTACT "cmdai maintainers <cmdai@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "turn a request in plain words into a shell command, rate its risk, remember it")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends: from the shared libraries the binary links (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Opened with dlopen on first use, so dpkg-shlibdeps cannot see them: server
# backends need libcurl, team history libpq, editing a command libedit.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libcurl4, libpq5, libedit2")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
