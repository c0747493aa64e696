#pragma once
// libpq, opened with dlopen the first time a team command needs it. Linked,
// it maps some thirty libraries (TLS, Kerberos, LDAP, SASL) and runs their
// initialisers at every start: more than half of the cost of
// `cmdai --version`. Only the files of src/team use it.
//
// Thread safety: pq_library() may be called from any thread; the library is
// opened exactly once.

#include <libpq-fe.h>

#include "core/error.h"

namespace cmdai::team {

struct PqLibrary {
  decltype(&::PQclear) clear = nullptr;
  decltype(&::PQcmdTuples) cmd_tuples = nullptr;
  decltype(&::PQconnectdbParams) connectdb_params = nullptr;
  decltype(&::PQconninfoFree) conninfo_free = nullptr;
  decltype(&::PQconninfoParse) conninfo_parse = nullptr;
  decltype(&::PQdb) db = nullptr;
  decltype(&::PQerrorMessage) error_message = nullptr;
  decltype(&::PQexec) exec = nullptr;
  decltype(&::PQexecParams) exec_params = nullptr;
  decltype(&::PQfinish) finish = nullptr;
  decltype(&::PQfreemem) freemem = nullptr;
  decltype(&::PQgetResult) get_result = nullptr;
  decltype(&::PQgetisnull) get_is_null = nullptr;
  decltype(&::PQgetlength) get_length = nullptr;
  decltype(&::PQgetvalue) get_value = nullptr;
  decltype(&::PQhost) host = nullptr;
  decltype(&::PQnfields) nfields = nullptr;
  decltype(&::PQntuples) ntuples = nullptr;
  decltype(&::PQport) port = nullptr;
  decltype(&::PQputCopyData) put_copy_data = nullptr;
  decltype(&::PQputCopyEnd) put_copy_end = nullptr;
  decltype(&::PQresultErrorField) result_error_field = nullptr;
  decltype(&::PQresultErrorMessage) result_error_message = nullptr;
  decltype(&::PQresultStatus) result_status = nullptr;
  decltype(&::PQsendQuery) send_query = nullptr;
  decltype(&::PQsetNoticeProcessor) set_notice_processor = nullptr;
  decltype(&::PQstatus) status = nullptr;
};

// Errors: unavailable when libpq.so.5 cannot be opened or lacks a function
// (the message names it).
Result<const PqLibrary*> pq_library();

// The library once a connection exists (a connection is only made after
// pq_library() succeeded), for the handles' methods and deleters.
const PqLibrary& loaded_pq_library();

}  // namespace cmdai::team
