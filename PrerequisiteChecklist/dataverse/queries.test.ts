import { literal, nextLinkOptions, profilesQuery, rolesQuery, solutionsQuery, usersQuery } from "./queries";

describe("literal", () => {
  it("doubles single quotes, then percent-encodes the contents", () => {
    expect(literal("o'brien@contoso.com")).toBe("'o''brien%40contoso.com'");
  });

  it("encodes characters that would end or split the URL", () => {
    expect(literal("a#b&c+d?e%f")).toBe("'a%23b%26c%2Bd%3Fe%25f'");
    expect(literal("Work 365 Admin")).toBe("'Work%20365%20Admin'");
  });

  it("encodes non-ASCII as UTF-8", () => {
    expect(literal("jürgen@müller.de")).toBe("'j%C3%BCrgen%40m%C3%BCller.de'");
  });
});

describe("queries", () => {
  it("users: the application ids only when no UPN is set", () => {
    expect(usersQuery("").options).toBe(
      "?$select=systemuserid,fullname,domainname,isdisabled,islicensed,accessmode,applicationid" +
        "&$filter=applicationid eq e4b1a995-abe3-4350-a61c-65fccd32e8bd or applicationid eq 5e56ae97-9be1-40d3-938b-99ea52175a30",
    );
  });

  it("roles and profiles: the direct scope drops the team lambda", () => {
    expect(rolesQuery("a@b.c", "Work 365 Sales", "direct").options).toBe(
      "?$select=roleid,name,_roletemplateid_value,_businessunitid_value" +
        "&$filter=(_roletemplateid_value eq 627090ff-40a3-4053-8790-584edc5be201 or name eq 'Work%20365%20Sales')" +
        " and systemuserroles_association/any(u:u/domainname eq 'a%40b.c')",
    );
    expect(profilesQuery("a@b.c", "Work 365 Admin", "direct").options).toBe(
      "?$select=fieldsecurityprofileid,name&$filter=name eq 'Work%20365%20Admin'" +
        " and systemuserprofiles_association/any(u:u/domainname eq 'a%40b.c')",
    );
  });

  it("solutions: by unique name when one is configured", () => {
    expect(solutionsQuery("Work365").options).toBe(
      "?$select=solutionid,uniquename,friendlyname,version,installedon,_createdby_value" +
        "&$filter=uniquename eq 'Work365' and _parentsolutionid_value eq null and isvisible eq true",
    );
  });

  it("nextLinkOptions keeps the query part", () => {
    expect(nextLinkOptions("https://org.crm.dynamics.com/api/data/v9.2/roles?$select=name&$skiptoken=%3Ccookie%3E")).toBe(
      "?$select=name&$skiptoken=%3Ccookie%3E",
    );
    expect(nextLinkOptions("https://org/api/data/v9.2/roles")).toBeNull();
  });
});
