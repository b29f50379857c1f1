/**
 * Directive names Apache httpd 2.4 knows with its standard modules (core, every module of the
 * Apache distribution, all MPMs), lower case. Listed from `apache2 -L` (Apache/2.4.71, Debian)
 * with every bundled module loaded. Directives of third-party modules are recognised by prefix.
 */
const STANDARD = `
  acceptfilter acceptpathinfo accessfilename action addalt addaltbyencoding addaltbytype addcharset
  adddefaultcharset adddescription addencoding addhandler addicon addiconbyencoding addiconbytype
  addinputfilter addlanguage addmoduleinfo addoutputfilter addoutputfilterbytype addtype alias aliasmatch
  aliaspreservepath allow allowconnect allowencodedslashes allowmethods allowoverride allowoverridelist
  anonymous anonymous_logemail anonymous_mustgiveemail anonymous_nouserid anonymous_verifyemail
  asyncrequestworkerfactor authbasicauthoritative authbasicfake authbasicprovider authbasicusedigestalgorithm
  authdbduserpwquery authdbduserrealmquery authdbmgroupfile authdbmtype authdbmuserfile authdigestalgorithm
  authdigestdomain authdigestnccheck authdigestnoncelifetime authdigestprovider authdigestqop
  authdigestshmemsize authformauthoritative authformbody authformdisablenostore authformfakebasicauth
  authformlocation authformloginrequiredlocation authformloginsuccesslocation authformlogoutlocation
  authformmethod authformmimetype authformpassword authformprovider authformsitepassphrase authformsize
  authformusername authgroupfile authldapauthorizeprefix authldapbindauthoritative authldapbinddn
  authldapbindpassword authldapcharsetconfig authldapcompareasuser authldapcomparednonserver
  authldapdereferencealiases authldapgroupattribute authldapgroupattributeisdn authldapinitialbindasuser
  authldapinitialbindpattern authldapmaxsubgroupdepth authldapremoteuserattribute authldapremoteuserisdn
  authldapsearchasuser authldapsubgroupattribute authldapsubgroupclass authldapurl authmerging authname
  authncachecontext authncacheenable authncacheprovidefor authncachesocache authncachetimeout
  authnprovideralias authnzfcgicheckauthnprovider authnzfcgidefineprovider authtype authuserfile
  authzdbdlogintoreferer authzdbdquery authzdbdredirectquery authzdbmtype authzprovideralias
  authzsendforbiddenonfailure balancergrowth balancerinherit balancermember balancerpersist brotlialteretag
  brotlicompressionmaxinputblock brotlicompressionquality brotlicompressionwindow brotlifilternote
  browsermatch browsermatchnocase bufferedlogs buffersize cachedefaultexpire cachedetailheader cachedirlength
  cachedirlevels cachedisable cacheenable cachefile cacheheader cacheignorecachecontrol cacheignoreheaders
  cacheignorenolastmod cacheignorequerystring cacheignoreurlsessionidentifiers cachekeybaseurl
  cachelastmodifiedfactor cachelock cachelockmaxage cachelockpath cachemaxexpire cachemaxfilesize
  cacheminexpire cacheminfilesize cachenegotiateddocs cachequickhandler cachereadsize cachereadtime cacheroot
  cachesocache cachesocachemaxsize cachesocachemaxtime cachesocachemintime cachesocachereadsize
  cachesocachereadtime cachestaleonerror cachestoreexpired cachestorenostore cachestoreprivate casefilter
  casefilterin cgidscripttimeout cgipassauth cgiscripttimeout cgivar charsetdefault charsetoptions
  charsetsourceenc checkbasenamematch checkcaseonly checkspelling chrootdir contentdigest cookiedomain
  cookieexpires cookiehttponly cookiename cookiesamesite cookiesecure cookiestyle cookietracking
  coredumpdirectory customlog dav davbasepath davdepthinfinity davgenericlockdb davlockdb davlockdiscovery
  davmintimeout dbdexptime dbdinitsql dbdkeep dbdmax dbdmin dbdparams dbdpersist dbdpreparesql dbdriver
  defaulticon defaultlanguage defaultruntimedir defaulttype define deflatealteretag deflatebuffersize
  deflatecompressionlevel deflatefilternote deflateinflatelimitrequestbody deflateinflateratioburst
  deflateinflateratiolimit deflatememlevel deflatewindowsize deny directory directorycheckhandler
  directoryindex directoryindexredirect directorymatch directoryslash documentroot dumpioinput dumpiooutput
  else elseif enablemmap enablesendfile error errordocument errorlog errorlogformat expiresactive
  expiresbytype expiresdefault extendedstatus extfilterdefine extfilteroptions fallbackresource fancyindexing
  fileetag files filesmatch filterchain filterdeclare filterprotocol filterprovider filtertrace
  flushmaxpipelined flushmaxthreshold forcelanguagepriority forcetype forensiclog globallog
  gracefulshutdowntimeout group h2copyfiles h2direct h2earlyhint h2earlyhints h2maxdataframelen
  h2maxheaderblocklen h2maxsessionstreams h2maxstreamerrors h2maxworkeridleseconds h2maxworkers h2minworkers
  h2moderntlsonly h2outputbuffering h2padding h2proxyrequests h2push h2pushdiarysize h2pushpriority
  h2pushresource h2serializeheaders h2sessionextrafiles h2streammaxmemsize h2streamtimeout h2tlscooldownsecs
  h2tlswarmupsize h2upgrade h2websockets h2windowsize header headername heartbeataddress heartbeatlisten
  heartbeatmaxservers heartbeatstorage hostnamelookups httpprotocoloptions identitycheck identitychecktimeout
  if ifdefine ifdirective iffile ifmodule ifsection ifversion imapbase imapdefault imapmenu include
  includeoptional indexheadinsert indexignore indexignorereset indexoptions indexorderdefault indexstylesheet
  inputsed keepalive keepalivetimeout keptbodysize languagepriority ldapcacheentries ldapcachettl
  ldapconnectionpoolttl ldapconnectiontimeout ldaplibrarydebug ldapopcacheentries ldapopcachettl
  ldapreferralhoplimit ldapreferrals ldapretries ldapretrydelay ldapsharedcachefile ldapsharedcachesize
  ldaptimeout ldaptrustedclientcert ldaptrustedglobalcert ldaptrustedmode ldapverifyservercert limit
  limitexcept limitinternalrecursion limitrequestbody limitrequestfields limitrequestfieldsize
  limitrequestline limitxmlrequestbody listen listenbacklog listencoresbucketsratio listentcpdeferaccept
  loadfile loadmodule location locationmatch logformat logiotrackttfb loglevel logmessage lua_____bytecodehack
  luaauthzprovider luacodecache luahookaccesschecker luahookauthchecker luahookcheckuserid luahookfixups
  luahookinsertfilter luahooklog luahookmaptostorage luahookpretranslatename luahooktranslatename
  luahooktypechecker luainherit luainputfilter luamaphandler luaoutputfilter luapackagecpath luapackagepath
  luaquickhandler luaroot luascope macro macroignorebadnesting macroignoreemptyargs maxclients
  maxconnectionsperchild maxkeepaliverequests maxmemfree maxrangeoverlaps maxrangereversals maxranges
  maxrequestsperchild maxrequestworkers maxspareservers maxsparethreads mdactivationdelay mdbaseserver
  mdcacertificatefile mdcachallenges mdcertificateagreement mdcertificateauthority mdcertificatecheck
  mdcertificatefile mdcertificatekeyfile mdcertificateprotocol mdcertificatestatus mdchallengedns01
  mdchallengedns01version mdcheckinterval mdcontactemail mddrivemode mdexternalaccountbinding mdhttpproxy
  mdhttpproxycacertificatefile mdinitialdelay mdmatchnames mdmember mdmembers mdmessagecmd mdmuststaple
  mdnotifycmd mdomain mdomainset mdportmap mdprivatekeys mdprofile mdprofilemandatory mdrenewmode
  mdrenewviaari mdrenewwindow mdrequirehttps mdretrydelay mdretryfailover mdserverstatus mdstapleothers
  mdstapling mdstaplingkeepresponse mdstaplingrenewwindow mdstoredir mdstorelocks mdwarnwindow memcacheconnttl
  mergeslashes mergetrailers metadir metafiles metasuffix mimemagicfile minspareservers minsparethreads
  mmapfile modemstandard modmimeusepathinfo multiviewsmatch mutex namevirtualhost noproxy options order
  outputsed passenv pidfile port protocol protocolecho protocols protocolshonororder proxy proxy100continue
  proxyaddheaders proxybadheader proxyblock proxydomain proxyerroroverride proxyexpressdbmfile
  proxyexpressdbmtype proxyexpressenable proxyfcgibackendtype proxyfcgisetenvif proxyftpdircharset
  proxyftpescapewildcards proxyftplistonwildcard proxyhcexpr proxyhctemplate proxyhctpsize proxyhtmlbufsize
  proxyhtmlcharsetout proxyhtmldoctype proxyhtmlenable proxyhtmlevents proxyhtmlextended proxyhtmlfixups
  proxyhtmlinterp proxyhtmllinks proxyhtmlmeta proxyhtmlstripcomments proxyhtmlurlmap proxyiobuffersize
  proxymatch proxymaxforwards proxypass proxypassinherit proxypassinterpolateenv proxypassmatch
  proxypassreverse proxypassreversecookiedomain proxypassreversecookiepath proxypreservehost
  proxyreceivebuffersize proxyremote proxyremotematch proxyrequests proxyscgiinternalredirect
  proxyscgisendfile proxyset proxysourceaddress proxystatus proxytimeout proxyvia
  proxywebsocketfallbacktoproxyhttp qualifyredirecturl readbuffersize readmename receivebuffersize redirect
  redirectmatch redirectpermanent redirectrelative redirecttemp redisconnpoolttl redistimeout reflectorheader
  regexdefaultoptions registerhttpmethod remoteipheader remoteipinternalproxy remoteipinternalproxylist
  remoteipproxiesheader remoteipproxyprotocol remoteipproxyprotocolexceptions remoteiptrustedproxy
  remoteiptrustedproxylist removecharset removeencoding removehandler removeinputfilter removelanguage
  removeoutputfilter removetype requestheader requestreadtimeout require requireall requireany requirenone
  rewritebase rewritecond rewriteengine rewritemap rewriteoptions rewriterule rlimitcpu rlimitmem rlimitnproc
  satisfy scoreboardfile script scriptalias scriptaliasmatch scriptlog scriptlogbuffer scriptloglength
  scriptsock seerequesttail sendbuffersize serveradmin serveralias serverlimit servername serverpath
  serverroot serversignature servertokens session sessioncookiename sessioncookiename2 sessioncookieremove
  sessioncryptocipher sessioncryptodriver sessioncryptopassphrase sessioncryptopassphrasefile
  sessiondbdcookiename sessiondbdcookiename2 sessiondbdcookieremove sessiondbddeletelabel
  sessiondbdinsertlabel sessiondbdperuser sessiondbdselectlabel sessiondbdupdatelabel sessionenv
  sessionexclude sessionexpiryupdateinterval sessionheader sessioninclude sessionmaxage setenv setenvif
  setenvifexpr setenvifnocase sethandler setinputfilter setoutputfilter ssiendtag ssierrormsg ssietag
  ssilastmodified ssilegacyexprparser ssistarttag ssitimeformat ssiundefinedecho sslcacertificatefile
  sslcacertificatepath sslcadnrequestfile sslcadnrequestpath sslcarevocationcheck sslcarevocationfile
  sslcarevocationpath sslcertificatechainfile sslcertificatefile sslcertificatekeyfile sslciphersuite
  sslcompression sslcryptodevice sslengine sslfips sslhonorcipherorder sslinsecurerenegotiation ssllog
  sslloglevel sslocspdefaultresponder sslocspenable sslocspnoverify sslocspoverrideresponder sslocspproxyurl
  sslocsprespondercertificatefile sslocsprespondertimeout sslocspresponsemaxage sslocspresponsetimeskew
  sslocspuserequestnonce sslopensslconfcmd ssloptions sslpassphrasedialog sslprotocol
  sslproxycacertificatefile sslproxycacertificatepath sslproxycarevocationcheck sslproxycarevocationfile
  sslproxycarevocationpath sslproxycheckpeercn sslproxycheckpeerexpire sslproxycheckpeername
  sslproxyciphersuite sslproxyengine sslproxymachinecertificatechainfile sslproxymachinecertificatefile
  sslproxymachinecertificatepath sslproxyprotocol sslproxyverify sslproxyverifydepth sslrandomseed
  sslrenegbuffersize sslrequire sslrequiressl sslsessioncache sslsessioncachetimeout sslsessionticketkeyfile
  sslsessiontickets sslsrpunknownuserseed sslsrpverifierfile sslstaplingcache sslstaplingerrorcachetimeout
  sslstaplingfaketrylater sslstaplingforceurl sslstaplingrespondertimeout sslstaplingresponsemaxage
  sslstaplingresponsetimeskew sslstaplingreturnrespondererrors sslstaplingstandardcachetimeout
  sslstrictsnivhostcheck sslusername sslusestapling sslverifyclient sslverifydepth sslvhostsnipolicy
  startservers stricthostcheck substitute substituteinheritbefore substitutemaxlinelength suexec
  suexecusergroup threadlimit threadsperchild threadstacksize timeout traceenable transferlog typesconfig
  undefine undefmacro unsetenv use usecanonicalname usecanonicalphysicalport user userdir virtualdocumentroot
  virtualdocumentrootip virtualhost virtualscriptalias virtualscriptaliasip watchdoginterval xbithack
  xml2encalias xml2encdefault xml2startparse
`;

export const KNOWN_APACHE_DIRECTIVES: ReadonlySet<string> = new Set(STANDARD.split(/\s+/).filter(Boolean));

/**
 * Prefixes (lower case) of directives from common third-party modules and servers that read
 * .htaccess files: mod_php, ModSecurity, Passenger, PageSpeed, mod_wsgi, mod_fcgid, mod_jk,
 * mod_perl, mod_rpaf, mod_auth_openidc, mod_evasive, mod_qos, mod_ruid2, mod_xsendfile, mod_gzip,
 * suPHP, mpm-itk, GeoIP/MaxMind, Shibboleth, Kerberos, Mellon, LiteSpeed, mod_cloudflare, mod_lsapi.
 */
const THIRD_PARTY_PREFIXES = [
  'php', 'sec', 'passenger', 'modpagespeed', 'pagespeed', 'wsgi', 'fcgid', 'jk', 'perl', 'rpaf', 'oidc', 'dos', 'qos',
  'rmode', 'ruid', 'rgroups', 'xsendfile', 'mod_gzip_', 'suphp_', 'assignuserid', 'maxclientsvhost', 'geoip', 'maxmind', 'shib',
  'krb', 'mellon', 'cachelookup', 'lsapi', 'litespeed', 'lsphp', 'cloudflare', 'remoteiptrusted', 'fastcgi', 'proxyfcgi',
  'authmysql', 'authldap', 'auth_', 'nss', 'gnutls',
];

/** Is `lname` (lower case) a directive Apache or a common module defines? */
export function isKnownDirective(lname: string): boolean {
  if (KNOWN_APACHE_DIRECTIVES.has(lname)) return true;
  return THIRD_PARTY_PREFIXES.some((p) => lname.startsWith(p));
}
