"""Ordinary, common names by heritage, for synthetic people.

Invented lists of widely used given names (by sex, and for British names by generation) and common
family names. They are popular names, not any real person's record; each list runs from the most to
the least common so that, as in real data, many people share the commonest names. A family name
written "Kowalski|Kowalska" has a feminine form.
"""

from __future__ import annotations

GROUPS: dict[str, dict[str, str]] = {
    "british": {
        "boys": """Oliver Noah George Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie
            Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Luca
            Edward James Joshua Albie Elijah Max Mason Reuben Samuel Ethan Harrison Hugo Joseph Daniel
            Benjamin Logan Riley Jude Louie Ronnie Dylan Jaxon Sebastian Kai Frankie Toby Ryan Lewis
            Callum Liam Jayden Tyler Connor Kyle Matthew Nathan Luke Adam Jamie Owen Charles Rory Bobby
            Stanley Alex Nathaniel Gabriel Zachary Elliot Jenson Ollie""",
        "girls": """Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace
            Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda
            Maya Sophie Alice Emilia Isabelle Ruby Luna Maisie Aria Penelope Mila Bonnie Eva Hallie
            Eliza Ada Violet Esme Chloe Jessica Holly Lucy Megan Hannah Ellie Lola Erin Lacey Amber
            Scarlett Layla Molly Katie Lauren Abigail Georgia Summer Paige Imogen Harriet Beatrice
            Eleanor Elizabeth Rebecca Victoria""",
        "men": """David Paul Mark Andrew Richard Christopher James Michael Daniel Matthew Stephen Robert
            John Lee Darren Craig Jason Simon Thomas Adam Gary Wayne Neil Peter Ian Martin Stuart
            Anthony Kevin Jonathan Carl Dean Scott Shaun Ryan Jamie Ben Luke Nathan Liam Sam Joe Tom
            Nicholas Gareth Philip Steven Karl Russell Graham Kieran Ashley Aaron Alex Josh Jordan
            Callum William Edward Benjamin Samuel Joseph Alexander""",
        "women": """Sarah Emma Claire Laura Rebecca Gemma Nicola Kelly Lisa Michelle Rachel Amy Victoria
            Samantha Hannah Charlotte Jennifer Joanne Louise Katie Jessica Emily Helen Stacey Natalie
            Kerry Donna Leanne Zoe Hayley Amanda Lucy Sophie Jade Danielle Catherine Elizabeth Kirsty
            Lauren Chloe Karen Tracey Julie Angela Kathryn Melissa Naomi Jenna Stephanie Alison
            Caroline Fiona Anna Kim Carly Abigail Katherine""",
        "family": """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
            Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson Wood
            Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
            James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
            Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson
            Simpson Ellis Adams Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt Campbell
            Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens
            Jenkins Murray Dixon Harvey Graham Pearson Fletcher Walsh Gibson Howard Andrews Stewart
            Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson
            Bradley Spencer Dawson Ball Burton Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis
            Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley
            Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver
            Reed Kennedy Williamson Bird Gardner Dean Lane Cooke Bates Henderson Parry Burgess Bishop
            Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne
            Sutton McDonald Yates Hodgson Robson Curtis Hopkins Harper Coleman Watkins Moss Chambers
            Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace""",
    },
    "irish": {
        "boys": """Jack James Noah Conor Daniel Sean Michael Patrick Cian Oisin Darragh Liam Luke Adam
            Fionn Tadhg Ryan Aidan Eoin Ciaran Niall Declan Kevin Padraig Ronan Cillian Dara Shane
            Eamon Colm""",
        "girls": """Grace Emily Fiadh Sophie Ella Aoife Saoirse Niamh Caoimhe Siobhan Ciara Roisin Orla
            Aisling Clodagh Sinead Mary Kate Erin Molly Ava Lucy Chloe Emma Sarah Grainne Maeve Nora
            Eimear Deirdre""",
        "family": """Murphy Kelly O'Sullivan Walsh Smith O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle
            McCarthy Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLaughlin Carroll Connolly
            Daly O'Connell Dunne Brennan Burke Collins Campbell Maguire Nolan Flynn O'Callaghan
            O'Donnell Duffy Mahony Boyle Healy O'Shea Sweeney Hayes Kavanagh Power McGrath Moran Brady
            Casey Foley Fitzpatrick O'Leary McDonagh Joyce Connors Maughan Ward Stokes Delaney""",
    },
    "polish": {
        "boys": """Jakub Jan Antoni Szymon Filip Franciszek Aleksander Mikolaj Wojciech Kacper Adam Michal
            Marcel Stanislaw Wiktor Piotr Igor Leon Nikodem Mateusz Bartosz Tymon Oliwier Dawid
            Maksymilian Tomasz Krzysztof Lukasz Pawel Marcin Grzegorz Marek Andrzej Rafal Dariusz
            Sebastian Damian Kamil Patryk Robert""",
        "girls": """Zuzanna Julia Zofia Hanna Maja Lena Alicja Maria Amelia Oliwia Aleksandra Wiktoria
            Natalia Pola Laura Antonina Emilia Nadia Gabriela Anna Agnieszka Katarzyna Magdalena Joanna
            Monika Karolina Ewa Marta Malgorzata Justyna Paulina Kinga Dorota Beata Sylwia Izabela
            Dominika Patrycja""",
        "family": """Nowak Kowalski|Kowalska Wisniewski|Wisniewska Wojcik Kowalczyk Kaminski|Kaminska
            Lewandowski|Lewandowska Zielinski|Zielinska Szymanski|Szymanska Wozniak Dabrowski|Dabrowska
            Kozlowski|Kozlowska Jankowski|Jankowska Mazur Kwiatkowski|Kwiatkowska Krawczyk
            Piotrowski|Piotrowska Grabowski|Grabowska Nowakowski|Nowakowska Pawlowski|Pawlowska
            Michalski|Michalska Nowicki|Nowicka Adamczyk Dudek Zajac Wieczorek Jablonski|Jablonska Krol
            Majewski|Majewska Olszewski|Olszewska Jaworski|Jaworska Wrobel Malinowski|Malinowska Pawlak
            Witkowski|Witkowska Walczak Stepien Gorski|Gorska Rutkowski|Rutkowska Michalak""",
    },
    "romanian": {
        "boys": """Andrei Alexandru David Gabriel Stefan Mihai Ionut Luca Matei Darius Rares Daniel Cristian
            Florin Marius Adrian Constantin Ion Vasile Gheorghe Nicolae Bogdan Catalin Razvan Sorin
            Dumitru Valentin Petru Cosmin Iulian Georgi Dimitar Ivan Nikolay""",
        "girls": """Maria Ioana Elena Andreea Alexandra Sofia Daria Ana Bianca Antonia Gabriela Mihaela
            Florentina Nicoleta Cristina Alina Diana Roxana Denisa Larisa Raluca Georgiana Simona
            Adriana Ionela Violeta Petra Teodora Desislava Svetlana""",
        "family": """Popescu Ionescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu Munteanu
            Constantin Florea Mihai Serban Moldovan Lungu Dinu Marin Tudor Nistor Ene Barbu Lazar Dobre
            Oprea Craciun Sandu Ivanov|Ivanova Georgiev|Georgieva Dimitrov|Dimitrova Petrov|Petrova
            Nikolov|Nikolova Stoyanov|Stoyanova Lakatos Balogh""",
    },
    "baltic": {
        "boys": """Lukas Matas Jokubas Dominykas Nojus Kajus Tomas Mantas Darius Andrius Mindaugas Tadas
            Paulius Dovydas Rokas Gintaras Arturas Vytautas Jonas Marius""",
        "girls": """Emilija Sofija Ugne Gabija Austeja Kamile Lukne Ieva Egle Ruta Rasa Laura Greta Vaida
            Jurgita Kristina Inga Agne Migle Lina""",
        "family": """Kazlauskas|Kazlauskiene Jankauskas|Jankauskiene Petrauskas|Petrauskiene
            Stankevicius|Stankeviciene Vasiliauskas|Vasiliauskiene Zukauskas|Zukauskiene Butkus|Butkiene
            Paulauskas|Paulauskiene Urbonas|Urboniene Kavaliauskas|Kavaliauskiene Berzins|Berzina
            Kalnins|Kalnina Ozols|Ozola Liepins|Liepina Jansons|Jansone""",
    },
    "iberian": {
        "boys": """Joao Pedro Miguel Tiago Rafael Diogo Gabriel Lucas Mateo Santiago Hugo Daniel Pablo
            Alejandro David Carlos Jose Antonio Manuel Francisco Rodrigo Martim Afonso Duarte Bernardo
            Luis Javier Sergio Fernando Ricardo""",
        "girls": """Maria Beatriz Ana Leonor Matilde Carolina Mariana Ines Lucia Sofia Martina Paula Carmen
            Laura Sara Marta Alba Daniela Joana Catarina Rita Francisca Isabel Patricia Cristina Raquel
            Teresa Andreia Vanessa Sandra""",
        "family": """Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Fernandes
            Goncalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Garcia Gonzalez Rodriguez
            Fernandez Lopez Martinez Sanchez Perez Gomez Jimenez Ruiz Hernandez Diaz Moreno Alvarez
            Romero Navarro Torres Dominguez""",
    },
    "ukrainian": {
        "boys": """Oleksandr Dmytro Maksym Andriy Artem Mykola Ivan Serhiy Volodymyr Yuriy Bohdan Denys Taras
            Oleh Vitaliy Roman Mykhailo Danylo Nazar Yaroslav Kyrylo Matviy Ihor Pavlo Vadym""",
        "girls": """Anastasiia Sofiia Mariia Anna Yuliia Olena Kateryna Oksana Iryna Tetiana Nataliia
            Viktoriia Daria Polina Khrystyna Solomiia Valentyna Svitlana Alina Yana Veronika Zlata
            Myroslava Halyna Liudmyla""",
        "family": """Melnyk Shevchenko Boyko Kovalenko Bondarenko Tkachenko Kovalchuk Kravchenko Oliynyk
            Shevchuk Koval Polishchuk Bondar Tkachuk Moroz Marchenko Lysenko Rudenko Savchenko Petrenko
            Kovalskyi|Kovalska Levchenko Pavlenko Kuzmenko Ponomarenko""",
    },
    "turkish": {
        "boys": """Mehmet Mustafa Ahmet Ali Huseyin Hasan Ibrahim Ismail Yusuf Emre Murat Omer Burak Kerem
            Eymen Mert Can Deniz Baran Serhat Azad Rojhat Furkan Enes Kaan""",
        "girls": """Zeynep Elif Ayse Fatma Emine Hatice Merve Esra Defne Asya Ecrin Eylul Azra Nehir Melek
            Hira Sultan Leyla Rojda Berfin Zehra Gul Yasemin Ebru Selin""",
        "family": """Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic
            Aslan Cetin Kara Koc Kurt Ozkan Simsek Polat Korkmaz Aktas Tekin Aksoy""",
    },
    "indian": {
        "boys": """Arjun Aarav Rohan Dev Krish Vihaan Aryan Jai Ravi Sanjay Amit Rahul Vikram Anil Nikhil
            Gurpreet Jaspreet Manpreet Harjit Karan Sunil Rajesh Deepak Hardeep Sukhdeep Ishaan Neel Yash
            Kabir Veer Sahil Tejas Hari Jasdeep Ajay""",
        "girls": """Priya Anya Diya Aanya Saanvi Isha Riya Anika Simran Navneet Harleen Jasleen Mandeep
            Kiran Neha Pooja Sunita Anjali Meera Nisha Sapna Reena Asha Leela Tara Avni Shreya Jasmin
            Amrit Rupinder Hema Bhavna Nita Kavita""",
        "family": """Patel Shah Singh Sharma Kumar Gill Sandhu Dhillon Sidhu Grewal Mistry Parmar Chauhan
            Joshi Desai Mehta Pandya Solanki Rana Bains Johal Kang Virdi Lal Gupta Verma Chopra Kapoor
            Malhotra Bhatt Thakkar Lad Atwal""",
    },
    "pakistani": {
        "boys": """Muhammad Mohammed Ali Hamza Ibrahim Yusuf Zain Ayaan Musa Umar Ahmed Hassan Bilal Imran
            Asif Tariq Khalid Adnan Zeeshan Faisal Shahid Waqas Usman Rizwan Abdullah Haris Zayn Rayyan
            Saif Nadeem Kamran Sajid Arslan Junaid Talha""",
        "girls": """Maryam Aisha Fatima Zainab Hafsa Amina Khadija Inaaya Aleena Hania Eshal Anaya Safa Sana
            Ayesha Rabia Nadia Saima Shazia Rukhsana Nazia Samina Farah Kiran Sadia Iqra Mahnoor Hira
            Noor Zara Alisha Yasmin Shabana Bushra Asma""",
        "family": """Khan Hussain Ahmed Ali Akhtar Iqbal Mahmood Rashid Shah Malik Aslam Riaz Hussein Butt
            Javed Raza Anwar Mirza Qureshi Sheikh Chaudhry Bashir Rehman Siddiqui Yousaf Nawaz Rafiq
            Saleem Zaman Mughal""",
    },
    "bangladeshi": {
        "boys": """Mohammed Abdul Muhammad Ibrahim Yusuf Ayaan Rayyan Zakaria Imran Shahid Jamal Rahim Karim
            Habib Shahin Rafiq Nazrul Anwar Faruk Mizanur Mahbub Sajid Rakib Tanvir Arif Nabil Sami
            Ismail Rashid Zubair""",
        "girls": """Fatima Aisha Maryam Sumaiya Tasnim Nusrat Sadia Jannat Ruma Shirin Rupa Shamima Rokeya
            Salma Nasima Rahima Farzana Sharmin Afia Lamia Anisa Tahmina Hafsa Zara Safiya Inaya Amira
            Noor Rubina Sultana""",
        "family": """Miah|Begum Ahmed Rahman Uddin|Begum Islam Hussain Ali Hoque Chowdhury Khan Hassan
            Akhtar Alam Haque Karim Mohammed Hossain Aziz Sarkar Kabir Talukder""",
    },
    "tamil": {
        "boys": """Arun Karthik Vijay Suresh Ramesh Ganesh Prakash Senthil Murugan Kumaran Nithin Sanjeev
            Thiru Kavin Aadhavan Niranjan Dinesh Mathan Rajan Siva Gokul Janarthanan Kishore Praveen
            Tharun""",
        "girls": """Priya Kavya Divya Lakshmi Meena Nila Sangeetha Anitha Kavitha Thenmozhi Abirami Ishwarya
            Janani Keerthana Malini Nandhini Pavithra Revathi Shalini Vanitha Yamini Aruna Dharshini
            Sowmiya Tharshika""",
        "family": """Sivakumar Rajendran Krishnan Subramaniam Balasubramaniam Selvarajah Thevarajah Arumugam
            Kandiah Nadarajah Sivanesan Ponnambalam Shanmugam Murugesu Yogarajah Kanagaratnam Ratnam
            Sritharan Jeyakumar Anandarajah Ganeshan Vijayakumar Chandran Mahendran Rasiah""",
    },
    "chinese": {
        "boys": """Ethan Ryan Jason Kevin Daniel Justin Eric Tony Raymond Alan Wei Jun Hao Ming Lei Kai Yi
            Zhen Jian Tian Hong Bo Long Hui Cheng""",
        "girls": """Chloe Emily Grace Jessica Vivian Amy Michelle Angela Jenny Alice Mei Ling Xin Yan Jing
            Li Fang Ying Lan Qing Min Yu Xiao Ting Wen""",
        "family": """Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Zheng
            Wong Chan Cheung Lau Leung Ho Tang Lam Ng Yip""",
    },
    "caribbean": {
        "boys": """Jayden Tyrese Marcus Jordan Isaiah Elijah Nathaniel Andre Kyle Jermaine Leon Tyrone Dwayne
            Delroy Winston Clive Errol Devon Jahmal Kai Reuben Malachi Josiah Micah Shane Lloyd Trevor
            Everton Wesley Carlton""",
        "girls": """Aaliyah Jada Nia Kayla Tanisha Shanice Keisha Chantelle Jasmine Amara Imani Zara Naomi
            Leah Alicia Marcia Beverley Sharon Paulette Janice Monique Simone Danielle Tiana Aliyah
            Shantelle Jodie Maya Eve Nadine""",
        "family": """Campbell Williams Brown Thomas Clarke Johnson Grant Reid Francis Henry Bennett Lewis
            Morgan Gordon Samuels Edwards Stewart Simpson Powell Allen Walker Graham Richards Bailey
            Wright Robinson Murray Forbes McKenzie Daley Spence Barrett Lindo Gayle Chambers Hylton Bryan
            Dacres Blake Morrison""",
    },
    "west_african": {
        "boys": """David Daniel Samuel Emmanuel Joshua Michael John Joseph Oluwaseun Tobi Ayo Tunde Chidi
            Chinedu Emeka Ikenna Kwame Kofi Kwabena Kojo Femi Dapo Segun Olumide Jeremiah Ebuka Obinna
            Nnamdi Tomiwa Isaac""",
        "girls": """Grace Blessing Esther Deborah Precious Favour Mercy Victoria Praise Adaeze Chioma Ngozi
            Funmi Folake Yetunde Titilayo Bukola Abena Akosua Ama Efua Adwoa Temi Tolu Ife Comfort Joy
            Peace Ruth Zion""",
        "family": """Okafor Adeyemi Okonkwo Adebayo Olaleye Ogunleye Eze Nwosu Okeke Obi Balogun Afolabi
            Oyelaran Babatunde Ibrahim Mensah Owusu Boateng Asante Osei Appiah Agyeman Addo Danso
            Adeleke Bello Olatunji Akinola Oladipo Adeniyi Ogundipe Chukwu Nwachukwu Uche""",
    },
    "somali": {
        "boys": """Mohamed Abdi Ahmed Hassan Ali Abdirahman Abdullahi Yusuf Omar Ibrahim Mahad Liban Bashir
            Hamza Ayub Khalid Said Nuur Guled Farah Ismail Idris Mustafa Abdikarim Hussein""",
        "girls": """Fadumo Amina Hodan Sahra Hibo Ayaan Ifrah Ikran Muna Nasra Hawa Halima Deeqa Ubah Safiya
            Sumaya Khadra Hamdi Idil Ladan Najma Samira Filsan Sagal Mariam""",
        "family": """Mohamed Ahmed Ali Hassan Abdi Hussein Omar Farah Ibrahim Warsame Jama Osman Yusuf Adan
            Nur Aden Said Ismail Abdullahi Egal Dualeh Hirsi Mohamud Guled Elmi""",
    },
    "east_african": {
        "boys": """Yonas Dawit Samuel Tesfay Habtom Yosief Filmon Kidane Mussie Biniam Robel Abel Natnael
            Henok Amanuel Mohammed Ahmed Osman Abdelrahman Musa Adam Ibrahim Omer Hamid Yasir""",
        "girls": """Selam Helen Senait Yordanos Hiwet Mehret Luwam Rahel Feven Saba Aster Tsega Mekdes
            Bethlehem Hanna Fatima Amna Samah Hiba Rania Nour Asma Safa Reem Marwa""",
        "family": """Tesfaye Gebremedhin Haile Tekle Berhane Kidane Woldemichael Abraha Mebrahtu Yohannes
            Gebru Tsegay Asfaw Kahsay Osman Abdalla Mohamed Ahmed Adam Ibrahim Elamin Hassan Musa
            Babiker Idris""",
    },
    "arabic": {
        "boys": """Mohammed Ahmad Omar Ali Youssef Khaled Mahmoud Mustafa Ibrahim Hussein Karim Tariq Sami
            Rami Adam Zaid Yahya Hamza Amir Bilal Nasser Fadi Majid Waleed Anas""",
        "girls": """Fatima Mariam Layla Noor Sara Aya Hana Rana Yasmin Lina Salma Huda Amal Rania Dana Jana
            Reem Nour Maya Zainab Malak Hiba Asma Ruqaya Iman""",
        "family": """Ali Hassan Hussein Mohammed Ahmed Ibrahim Mahmoud Abdullah Saleh Khalil Haddad Nasser
            Mansour Youssef Othman Hamdan Rashid Aziz Karim Salem Al-Sayed Al-Hashimi Al-Khatib Al-Masri
            Darwish""",
    },
    "persian": {
        "boys": """Ali Mohammad Reza Hossein Amir Mehdi Ahmad Hamid Omid Arash Dariush Farhad Kamran Navid
            Sina Mustafa Jawad Nasir Wahid Rahim Sohrab Zabiullah Hamed Bahram Hasib""",
        "girls": """Fatemeh Zahra Maryam Sara Narges Leila Shirin Parisa Nazanin Roya Yasaman Mahsa Shabnam
            Farzana Laila Nargis Soraya Mina Ava Setareh Nilofar Zarghuna Hawa Masooma Tahmina""",
        "family": """Hosseini Ahmadi Mohammadi Rezaei Karimi Hashemi Rahimi Moradi Jafari Ghorbani Sadeghi
            Azizi Rostami Amiri Naderi Popal Stanikzai Safi Noori Wardak Sultani Haidari Yousufzai
            Rahmani Barakzai""",
    },
}

# The name group for a heritage (CIN ethnicity code) and home language; the first match wins:
# (heritage or "*", language or "*", group).
GROUP_RULES: tuple[tuple[str, str, str], ...] = (
    ("WBRI", "*", "british"),
    ("WIRI", "*", "irish"),
    ("WIRT", "*", "irish"),
    ("WROM", "*", "romanian"),
    ("WOTH", "pol", "polish"),
    ("WOTH", "ron", "romanian"),
    ("WOTH", "bul", "romanian"),
    ("WOTH", "lit", "baltic"),
    ("WOTH", "por", "iberian"),
    ("WOTH", "spa", "iberian"),
    ("WOTH", "ukr", "ukrainian"),
    ("WOTH", "tur", "turkish"),
    ("WOTH", "*", "british"),
    ("AIND", "tam", "tamil"),
    ("AIND", "*", "indian"),
    ("APKN", "*", "pakistani"),
    ("ABAN", "*", "bangladeshi"),
    ("AOTH", "fas", "persian"),
    ("AOTH", "ara", "arabic"),
    ("AOTH", "*", "tamil"),
    ("BCRB", "*", "caribbean"),
    ("BAFR", "som", "somali"),
    ("BAFR", "ara", "east_african"),
    ("BAFR", "por", "iberian"),
    ("BAFR", "other", "east_african"),
    ("BAFR", "*", "west_african"),
    ("BOTH", "som", "somali"),
    ("BOTH", "*", "west_african"),
    ("CHNE", "*", "chinese"),
    ("OOTH", "fas", "persian"),
    ("OOTH", "tur", "turkish"),
    ("OOTH", "*", "arabic"),
    ("*", "*", "british"),
)

# Everyday short forms people ask to be called by.
NICKNAMES: dict[str, str] = {
    "Thomas": "Tom Tommy",
    "William": "Will Billy",
    "James": "Jamie Jim",
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Joseph": "Joe",
    "Samuel": "Sam",
    "Daniel": "Dan Danny",
    "Matthew": "Matt",
    "Christopher": "Chris",
    "Michael": "Mike Mikey",
    "Robert": "Rob Bob",
    "Nicholas": "Nick",
    "Jonathan": "Jon",
    "Edward": "Ed Ted",
    "Henry": "Harry",
    "Harrison": "Harry",
    "Theodore": "Theo Teddy",
    "Joshua": "Josh",
    "Nathaniel": "Nate",
    "Anthony": "Tony",
    "Stephen": "Steve",
    "Steven": "Steve",
    "Richard": "Rich",
    "Andrew": "Andy",
    "David": "Dave",
    "Peter": "Pete",
    "Jacob": "Jake",
    "Elijah": "Eli",
    "Sebastian": "Seb",
    "Oliver": "Ollie",
    "Charles": "Charlie",
    "Gabriel": "Gabe",
    "Zachary": "Zach",
    "Muhammad": "Mo",
    "Mohammed": "Mo",
    "Mohamed": "Mo",
    "Abdirahman": "Abdi",
    "Oluwaseun": "Seun",
    "Emmanuel": "Manny",
    "Aleksander": "Olek",
    "Oleksandr": "Sasha",
    "Elizabeth": "Liz Beth",
    "Katherine": "Kate Katie",
    "Kathryn": "Kate",
    "Catherine": "Cath Kate",
    "Rebecca": "Becky Becca",
    "Jessica": "Jess",
    "Olivia": "Liv Livvy",
    "Charlotte": "Lottie",
    "Abigail": "Abi",
    "Samantha": "Sam",
    "Victoria": "Vicky Tori",
    "Jennifer": "Jen Jenny",
    "Isabella": "Bella Izzy",
    "Isabelle": "Izzy",
    "Amelia": "Millie",
    "Florence": "Flo",
    "Matilda": "Tilly",
    "Penelope": "Penny",
    "Evelyn": "Evie",
    "Natalie": "Nat",
    "Stephanie": "Steph",
    "Danielle": "Dani",
    "Nicola": "Nicky",
    "Alexandra": "Alex Lexi",
    "Gabriela": "Gabi",
    "Zuzanna": "Zuzia",
    "Anastasiia": "Nastya",
    "Emily": "Em",
    "Georgia": "Georgie",
    "Harriet": "Hattie",
    "Beatrice": "Bea",
    "Eleanor": "Ellie",
    "Caroline": "Caz",
    "Emilia": "Millie",
}


def split(text: str) -> list[str]:
    """The names in a whitespace-separated list."""
    return text.split()


def group_for(heritage: str, language: str) -> str:
    """The name group for a heritage and home language."""
    for rule_heritage, rule_language, group in GROUP_RULES:
        if rule_heritage in ("*", heritage) and rule_language in ("*", language):
            return group
    raise AssertionError("GROUP_RULES ends with a catch-all")
