// team.url never holds a password; team.exclude_dirs are absolute.

#include <gtest/gtest.h>

#include "config/validators.h"

namespace cmdai::config {
namespace {

TEST(TeamKeys, UrlsWithoutPasswordsAreAccepted) {
  for (const char* url : {"", "postgresql://alice@db.example.com/cmdai?sslmode=verify-full",
                          "postgres://db.example.com:5433/cmdai", "postgresql:///cmdai?host=/run/postgresql",
                          "host=db.example.com dbname=cmdai sslmode=require", "postgresql://a@h/d?passfile=/x"}) {
    EXPECT_EQ(check_team_url(url), std::nullopt) << url;
  }
}

TEST(TeamKeys, UrlsWithPasswordsAreRefusedNamingWhereTheyBelong) {
  for (const char* url :
       {"postgresql://alice:hunter2@db.example.com/cmdai", "postgres://:x@h/d",
        "postgresql://db.example.com/cmdai?password=hunter2", "postgresql://h/d?sslmode=require&password=x",
        "host=db password=hunter2", "host=db password = hunter2"}) {
    const auto problem = check_team_url(url);
    ASSERT_NE(problem, std::nullopt) << url;
    EXPECT_NE(problem->find("PGPASSFILE"), std::string::npos) << *problem;
    EXPECT_EQ(problem->find("hunter2"), std::string::npos) << *problem;
  }
}

TEST(TeamKeys, OtherTextIsNoUrl) {
  EXPECT_NE(check_team_url("db.example.com"), std::nullopt);
  EXPECT_NE(check_team_url("postgresql://h/d\nhost=x"), std::nullopt);
}

TEST(TeamKeys, ExcludedDirectoriesAreAbsolute) {
  EXPECT_EQ(check_directories({"/home/me/secret", "/srv/private/"}), std::nullopt);
  EXPECT_NE(check_directories({"secret"}), std::nullopt);
  EXPECT_NE(check_directories({""}), std::nullopt);
}

}  // namespace
}  // namespace cmdai::config
