# `cmake --install <build> --prefix <dir>` installs what a project outside
# this tree needs to use pl:
#   bin/pl-instrument, bin/pl-plot
#   lib/libpl.so*, include/pl/*.h
#   lib/cmake/pl/  plConfig.cmake -> find_package(pl CONFIG REQUIRED) gives
#                  pl::runtime, pl::pl-instrument and pl_instrument(<target>)
include(CMakePackageConfigHelpers)
set(PL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/pl")

set_target_properties(pl_runtime PROPERTIES EXPORT_NAME runtime)
install(TARGETS pl_runtime EXPORT plTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/pl DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(PROGRAMS ${PROJECT_SOURCE_DIR}/runtime/tools/pl-plot DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET pl-instrument)
  set_target_properties(pl-instrument PROPERTIES EXPORT_NAME pl-instrument)
  install(TARGETS pl-instrument EXPORT plTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT plTargets NAMESPACE pl:: DESTINATION ${PL_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/plConfig.cmake.in
  ${PROJECT_BINARY_DIR}/plConfig.cmake INSTALL_DESTINATION ${PL_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/plConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/plConfig.cmake ${PROJECT_BINARY_DIR}/plConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/PlInstrument.cmake
        DESTINATION ${PL_INSTALL_CMAKEDIR})
