# Finds LLVM and Clang 19 (Debian's llvm-19-dev / libclang-19-dev) and the
# Clang resource directory that holds builtin headers (stddef.h, ...).
#
# Debian's LLVMConfigVersion.cmake rejects a bare "19", so no version is
# requested here; the major version is checked after the fact instead.
set(PL_LLVM_ROOT "/usr/lib/llvm-19" CACHE PATH "Root of the LLVM/Clang 19 installation")
find_package(LLVM CONFIG REQUIRED HINTS "${PL_LLVM_ROOT}/lib/cmake/llvm" NO_DEFAULT_PATH)
if(NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "pl needs LLVM 19, found ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}")
endif()
find_package(Clang CONFIG REQUIRED HINTS "${PL_LLVM_ROOT}/lib/cmake/clang" NO_DEFAULT_PATH)

# Resource dir: ask the matching clang, fall back to the conventional path.
set(_pl_resource "")
find_program(PL_CLANG_EXECUTABLE NAMES clang-19 clang HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
if(PL_CLANG_EXECUTABLE)
  execute_process(COMMAND "${PL_CLANG_EXECUTABLE}" -print-resource-dir
                  OUTPUT_VARIABLE _pl_resource OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(NOT _pl_resource OR NOT EXISTS "${_pl_resource}/include/stddef.h")
  set(_pl_resource "${LLVM_LIBRARY_DIR}/clang/${LLVM_VERSION_MAJOR}")
endif()
set(PL_CLANG_RESOURCE_DIR "${_pl_resource}" CACHE PATH "Clang resource dir (builtin headers)")
if(NOT EXISTS "${PL_CLANG_RESOURCE_DIR}/include/stddef.h")
  message(FATAL_ERROR "No Clang builtin headers in '${PL_CLANG_RESOURCE_DIR}/include'. "
                      "Install clang-19 or set -DPL_CLANG_RESOURCE_DIR=<dir>.")
endif()
message(STATUS "pl: LLVM ${LLVM_PACKAGE_VERSION}, resource dir ${PL_CLANG_RESOURCE_DIR}")

add_library(pl_clang INTERFACE)
target_include_directories(pl_clang SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
target_compile_definitions(pl_clang INTERFACE ${LLVM_DEFINITIONS_LIST})
separate_arguments(_pl_llvm_defs NATIVE_COMMAND "${LLVM_DEFINITIONS}")
target_compile_options(pl_clang INTERFACE ${_pl_llvm_defs})
target_link_libraries(pl_clang INTERFACE clang-cpp LLVM)
